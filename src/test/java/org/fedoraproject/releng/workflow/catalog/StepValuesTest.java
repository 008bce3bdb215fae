package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepValuesTest {

    private static final Map<String, JsonNode> VALUES = Map.of(
            "${parameters.label}", TextNode.valueOf("${parameters.other} {{ lookup('pipe', 'id') }}"),
            "${steps.compose.outputs.count}", IntNode.valueOf(7));

    private static JsonNode substitute(String template) {
        return StepValues.substitute(TextNode.valueOf(template), r -> VALUES.get(r.text()));
    }

    @Test
    void referencesAreReplacedAsTextAmongOtherText() {
        assertThat(substitute("n=${steps.compose.outputs.count}, again ${steps.compose.outputs.count}")
                        .asText())
                .isEqualTo("n=7, again 7");
    }

    @Test
    void aValueThatIsOneReferenceKeepsItsType() {
        assertThat(substitute("${steps.compose.outputs.count}")).isEqualTo(IntNode.valueOf(7));
    }

    @Test
    void aReplacedValueStaysLiteralNeverLookedAtAgain() {
        assertThat(substitute("[${parameters.label}]").asText())
                .isEqualTo("[${parameters.other} {{ lookup('pipe', 'id') }}]");
        assertThat(substitute("${parameters.label}").asText())
                .isEqualTo("${parameters.other} {{ lookup('pipe', 'id') }}");
    }

    @Test
    void textWithoutReferencesAndOtherValuesPassUnchanged() {
        assertThat(substitute("{{ not ours }} $ {x}").asText()).isEqualTo("{{ not ours }} $ {x}");
        assertThat(StepValues.substitute(IntNode.valueOf(3), r -> null)).isEqualTo(IntNode.valueOf(3));
    }

    @Test
    void onlyTheTwoFormsAreReferences() {
        assertThatThrownBy(() -> StepValues.references(TextNode.valueOf("${env.HOME}")))
                .hasMessageContaining("`${env.HOME}` is not a reference");
        assertThatThrownBy(() -> StepValues.references(TextNode.valueOf("${steps.a.outputs.b | upper}")))
                .hasMessageContaining("is not a reference");
        assertThat(StepValues.references(TextNode.valueOf("${parameters.a}${steps.b.outputs.c}")))
                .containsExactly(new StepValues.ParameterReference("a"), new StepValues.OutputReference("b", "c"));
    }
}
