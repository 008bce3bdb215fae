package org.fedoraproject.releng.workflow.messaging.fedmsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fedoraproject.releng.workflow.testsupport.Python;
import org.junit.jupiter.api.Test;

class CanonicalJsonIT {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Jackson escapes non-ASCII on the way to Python so that even a lone surrogate survives. */
    private static final JsonMapper TO_PYTHON =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private static final String PYTHON_DUMPS = "import json,sys\n"
            + "for case in json.load(sys.stdin):\n"
            + "    sys.stdout.write(json.dumps(case, sort_keys=True, separators=(',', ':')) + '\\n')\n";

    @Test
    void encodesTrickyValuesExactlyAsPythonJsonDumps() throws Exception {
        List<JsonNode> cases = trickyValues();
        ArrayNode all = JSON.arrayNode().addAll(cases);

        byte[] python = Python.runOk(TO_PYTHON.writeValueAsBytes(all), "-c", PYTHON_DUMPS)
                .stdout();

        StringBuilder java = new StringBuilder();
        for (JsonNode value : cases) {
            java.append(CanonicalJson.encode(value)).append('\n');
        }
        String expected = new String(python, StandardCharsets.UTF_8);
        assertThat(java.toString().split("\n", -1)).containsExactly(expected.split("\n", -1));
        assertThat(java.toString().getBytes(StandardCharsets.UTF_8)).isEqualTo(python);
    }

    @Test
    void sortsKeysByCodePointAsPythonDoes() {
        ObjectNode keys = JSON.objectNode()
                .put("a", 1)
                .put("B", 2)
                .put("_", 3)
                .put("\uffff", 4)
                .put("\ud83d\ude00", 5);

        assertThat(CanonicalJson.encode(keys))
                .isEqualTo("{\"B\":2,\"_\":3,\"a\":1,\"\\uffff\":4,\"\\ud83d\\ude00\":5}");
    }

    @Test
    void refusesFloatsNamingWhereTheyAre() {
        ObjectNode body = JSON.objectNode();
        body.putObject("run").putArray("durations").add(1).add(2.5);

        assertThatThrownBy(() -> CanonicalJson.encode(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.run.durations[1]")
                .hasMessageContaining("floating-point");
    }

    private static List<JsonNode> trickyValues() {
        List<JsonNode> cases = new ArrayList<>();
        cases.add(JSON.objectNode()
                .put("a", 1)
                .put("B", 2)
                .put("_", 3)
                .put("", 4)
                .put("aa", 5)
                .put("A", 6));
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        controls.append('\u007f').append('\u0080').append('\u00ff');
        cases.add(JSON.textNode(controls.toString()));
        cases.add(JSON.textNode("quote \" backslash \\ slash / </script> tab\tnewline\n"));
        cases.add(JSON.textNode("Fedora \u00e9t\u00e9 \u4e2d\u6587 \u0416 \u2028 \u2029 \ufeff \uffff"));
        cases.add(JSON.textNode("emoji \ud83d\ude00 \ud83c\udf89 astral \ud800\udc00 \udbff\udfff"));
        cases.add(JSON.textNode("lone \ud800 surrogate \udc00"));
        cases.add(JSON.textNode(""));
        ObjectNode nested = JSON.objectNode();
        nested.put("z", "last").putNull("null").put("t", true).put("f", false);
        nested.putArray("list")
                .add(1)
                .add("two")
                .addNull()
                .add(JSON.objectNode())
                .add(JSON.arrayNode())
                .addObject()
                .put("\u00e9", "\u00e9")
                .put("e", "e");
        nested.putObject("deeper")
                .putObject("still")
                .putArray("x")
                .addArray()
                .add(-0)
                .add(-42);
        nested.put("\"quoted key\"", "\\");
        nested.put("\ud83d\ude00", "astral key").put("\uffff", "bmp key").put("~", "tilde");
        cases.add(nested);
        ArrayNode numbers = JSON.arrayNode()
                .add(0)
                .add(-1)
                .add(Integer.MAX_VALUE)
                .add(Long.MIN_VALUE)
                .add(Long.MAX_VALUE)
                .add(new BigInteger("1180591620717411303424"))
                .add(-7L);
        cases.add(numbers);
        cases.add(JSON.arrayNode().add(true).add(false).addNull());
        cases.add(JSON.objectNode());
        cases.add(JSON.arrayNode());
        return cases;
    }
}
