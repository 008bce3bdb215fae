package org.fedoraproject.releng.workflow.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extra-vars writer, read back by Ansible's own loader: what Ansible gets must equal what was
 * given, with every string (and every key below the top) marked unsafe.
 */
class UnsafeExtraVarsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Strings that mean something else in YAML, in Jinja or to a shell when not quoted. */
    static final List<String> TRICKY = List.of(
            "",
            " ",
            "  leading",
            "trailing  ",
            "yes",
            "no",
            "on",
            "off",
            "true",
            "True",
            "~",
            "null",
            "Null",
            "0x10",
            "0o17",
            "017",
            "1e3",
            "1_000",
            ".inf",
            "-.inf",
            ".nan",
            "12:30:00",
            "2026-12-01",
            "- x",
            "*a",
            "&a",
            "!tag",
            "!unsafe x",
            "!vault |",
            "%YAML 1.2",
            "%",
            "@",
            "@file",
            "`cmd`",
            "|",
            ">",
            "#comment",
            "a # b",
            "key: value",
            "? x",
            "[1, 2]",
            "{a: b}",
            "---",
            "...",
            "'single'",
            "\"double\"",
            "back\\slash",
            "\\\"",
            "\\n is not a newline",
            "line\nbreak",
            "crlf\r\n",
            "tab\tbed",
            "nul\u0000byte",
            "bell\u0007 esc\u001b del\u007f",
            "nel\u0085 nbsp\u00a0 ls\u2028 ps\u2029 bom\ufeff",
            "é ü ß",
            "emoji \uD83D\uDE00 and \uD83C\uDDEB\uD83C\uDDF7",
            "{{ lookup('pipe', 'id') }}",
            "{% if true %}x{% endif %}",
            "{# comment #}",
            "{{",
            "}}",
            "{%",
            "#}",
            "$(id)",
            "${HOME}");

    @TempDir
    Path dir;

    /** What Ansible's DataLoader makes of the file, as the peer script reports it. */
    JsonNode readByAnsible(String yaml) throws Exception {
        Path file = dir.resolve("extra-vars.yml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        Python.Result r = Python.runOk(new byte[0], Python.peer("ansible_extra_vars.py"), file.toString());
        return JSON.readTree(r.stdout());
    }

    @Test
    void everyStringIsTaggedQuotedAndEscapedAndOtherScalarsStayPlain() throws Exception {
        ObjectNode vars = (ObjectNode)
                JSON.readTree(
                        "{\"s\":\"a\\\"b\\\\c\\nd\",\"n\":-12,\"f\":1e10,\"b\":true,\"z\":null,\"l\":[\"x\",2],\"m\":{\"k\":\"v\"}}");

        assertThat(UnsafeExtraVars.yaml(vars, Map.of()))
                .isEqualTo("{? \"s\" : !unsafe \"a\\\"b\\\\c\\x0Ad\",\n"
                        + " ? \"n\" : -12,\n ? \"f\" : 1.0e+10,\n ? \"b\" : true,\n ? \"z\" : null,\n"
                        + " ? \"l\" : [!unsafe \"x\", 2],\n ? \"m\" : {? !unsafe \"k\" : !unsafe \"v\"}}\n");
    }

    @Test
    void ansibleReadsBackExactlyWhatWasGivenWithEveryStringUnsafe() throws Exception {
        ObjectNode vars = JSON.createObjectNode();
        ArrayNode strings = vars.putArray("strings");
        ObjectNode keyed = vars.putObject("keyed");
        for (String s : TRICKY) {
            strings.add(s);
            keyed.put(s, s);
        }
        vars.put("long", "x{{ y }}\uD83D\uDE00\n".repeat(100_000));
        keyed.put("k".repeat(5000), "a key longer than YAML's 1024-character limit for implicit keys");
        vars.set(
                "numbers",
                JSON.readTree(
                        "[0, -1, 9223372036854775807, 123456789012345678901234567890, 0.1, -2.5, 1e10, 1.5e-7, -0.0, 1e300]"));
        vars.set("others", JSON.readTree("[true, false, null, [], {}, [[]], {\"\": \"\"}]"));
        JsonNode deep = JSON.readTree("\"{{ lookup('pipe', 'id') }}\"");
        for (int i = 0; i < 100; i++) {
            deep = i % 2 == 0
                    ? JSON.createArrayNode().add(deep).add(i)
                    : JSON.createObjectNode().set("level " + i, deep);
        }
        vars.set("deep", deep);
        vars.put("text_param", "line 1\n{{ x }}\n");

        JsonNode got = readByAnsible(UnsafeExtraVars.yaml(vars, Map.of()));

        assertThat(got.get("templatable")).as("strings Ansible would template").isEmpty();
        assertThat(got.get("top_level_templatable")).isEmpty();
        assertThat(got.get("vars").get("long").asText())
                .isEqualTo(vars.get("long").asText());
        assertThat(got.get("vars").get("strings")).isEqualTo(vars.get("strings"));
        assertThat(got.get("vars")).isEqualTo(JSON.readTree(JSON.writeValueAsString(vars)));
    }

    @Test
    void theEnginesOwnExpressionIsLeftForAnsibleToEvaluate() throws Exception {
        ObjectNode vars = JSON.createObjectNode().put("who", "{{ ansible_playbook_python }}");

        JsonNode got = readByAnsible(
                UnsafeExtraVars.yaml(vars, Map.of("ansible_python_interpreter", "{{ ansible_playbook_python }}")));

        assertThat(got.get("top_level_templatable"))
                .containsExactly(JSON.getNodeFactory().textNode("ansible_python_interpreter"));
        assertThat(got.at("/vars/ansible_python_interpreter").asText()).isEqualTo("{{ ansible_playbook_python }}");
        assertThat(got.at("/vars/who").asText()).isEqualTo("{{ ansible_playbook_python }}");
    }

    @Test
    void halfASurrogatePairBecomesTheReplacementCharacter() throws Exception {
        ObjectNode vars = (ObjectNode) JSON.readTree("{\"s\": \"a\\ud800b\\udc00\"}");

        JsonNode got = readByAnsible(UnsafeExtraVars.yaml(vars, Map.of()));

        assertThat(got.at("/vars/s").asText()).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void aTopLevelNameMustBeAVariableName() {
        ObjectNode vars = JSON.createObjectNode().put("{{ x }}", "y");

        assertThatThrownBy(() -> UnsafeExtraVars.yaml(vars, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid Ansible variable name");
        assertThatThrownBy(() -> UnsafeExtraVars.yaml(JSON.createObjectNode().put("a", "b"), Map.of("a", "{{ c }}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both as data and as an expression");
    }
}
