package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParameterRulesTest {

    static final Catalog CATALOG =
            new CatalogLoader(TestEngine.FIXTURES.resolve("workflows"), Clock.systemUTC()).load();
    final ObjectMapper json = new ObjectMapper();

    ObjectNode params(String text) throws Exception {
        return (ObjectNode) json.readTree(text);
    }

    @Test
    void defaultsFillWhatIsNotGivenAndOptionalOnesStayOut() throws Exception {
        ResolvedParameters r =
                ParameterRules.resolve(CATALOG.find("echo-params").orElseThrow(), params("{}"));

        assertThat(r.visible().toString())
                .isEqualTo("{\"release\":\"rawhide\",\"count\":1,\"dry_run\":true,\"arches\":[\"x86_64\"]}");
        assertThat(r.secrets()).isEmpty();
    }

    @Test
    void formStringsBecomeTypedValues() throws Exception {
        ResolvedParameters r = ParameterRules.resolve(
                CATALOG.find("echo-params").orElseThrow(),
                params("{\"count\":\"7\",\"dry_run\":\"false\",\"release\":42,\"arches\":\"aarch64\"}"));

        assertThat(r.visible().get("count").isIntegralNumber()).isTrue();
        assertThat(r.visible().get("count").asLong()).isEqualTo(7);
        assertThat(r.visible().get("dry_run").asBoolean()).isFalse();
        assertThat(r.visible().get("release").asText()).isEqualTo("42");
        assertThat(r.visible().get("arches").toString()).isEqualTo("[\"aarch64\"]");
    }

    @Test
    void secretsAreKeptApartAndMaskedForDisplay() throws Exception {
        ResolvedParameters r =
                ParameterRules.resolve(CATALOG.find("with-secret").orElseThrow(), params("{\"token\":\"abc123\"}"));

        assertThat(r.visible().has("token")).isFalse();
        assertThat(r.secrets()).containsEntry("token", "abc123");
        assertThat(r.masked().get("token").asText()).isEqualTo("****");
        assertThat(r.all().get("token").asText()).isEqualTo("abc123");
    }

    @Test
    void everyBadFieldGetsItsOwnMessage() {
        assertThatThrownBy(() -> ParameterRules.resolve(
                        CATALOG.find("echo-params").orElseThrow(),
                        params("{\"count\":0,\"label\":\"two\\nlines\",\"notes\":5,\"nope\":true}")))
                .isInstanceOfSatisfying(
                        InvalidParametersException.class,
                        e -> assertThat(e.fields())
                                .containsEntry("count", "must be at least 1")
                                .containsEntry("label", "must be a single line (use a text parameter for several)")
                                .containsEntry("notes", "must be a text (a JSON string)")
                                .containsEntry(
                                        "nope",
                                        "unknown parameter; this workflow takes release, label, count, dry_run, arches, notes"));
    }

    @Test
    void emptySecretIsRefused() {
        assertThatThrownBy(() ->
                        ParameterRules.resolve(CATALOG.find("with-secret").orElseThrow(), params("{\"token\":\"\"}")))
                .isInstanceOfSatisfying(
                        InvalidParametersException.class,
                        e -> assertThat(e.fields()).containsEntry("token", "required"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "true",
                "false",
                "yes",
                "null",
                "12345",
                "hunt2",
                "password",
                "Secret",
                "ChangeMe",
                "123456789",
                "3.14159",
                "********",
                "xxxxxxxx",
                "  true  ",
                "\uD83D\uDD11\uD83D\uDD11\uD83D\uDD11"
            })
    void secretValuesTooShortOrCommonToMaskAreRefusedWithoutShowingThem(String value) {
        ObjectNode given = json.createObjectNode().put("token", value);
        assertThatThrownBy(
                        () -> ParameterRules.resolve(CATALOG.find("with-secret").orElseThrow(), given))
                .isInstanceOfSatisfying(InvalidParametersException.class, e -> {
                    assertThat(e.fields()).containsOnlyKeys("token");
                    // one fixed message whatever the value, so it cannot tell the value
                    assertThat(e.fields().get("token"))
                            .isEqualTo(WeakSecrets.MESSAGE)
                            .startsWith("secret values must be at least 6 characters and not a common word");
                    assertThat(e.getMessage()).isEqualTo("invalid parameters: {token=" + WeakSecrets.MESSAGE + "}");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc123", "s3cr3t-value", "pa55word", "2024-token", "\uD83D\uDD11-key-\uD83D\uDD11"})
    void secretValuesThatCanBeMaskedAreTaken(String value) {
        ObjectNode given = json.createObjectNode().put("token", value);
        assertThat(ParameterRules.resolve(CATALOG.find("with-secret").orElseThrow(), given)
                        .secrets())
                .containsEntry("token", value);
    }

    @Test
    void everyUnicodeLineBreakIsRefusedInAStringEvenWhenItsPatternWouldAllowIt() throws Exception {
        // a pattern's `$` matches before a final U+2028, U+2029 or NEL, so the pattern alone lets them in
        WorkflowDefinition echo = CATALOG.find("echo-params").orElseThrow();
        ParameterDefinition plain = new ParameterDefinition(
                "plain", ParameterType.STRING, null, null, false, java.util.List.of(), null, null, null);
        for (String brk : java.util.List.of("\u2028", "\u2029", "\u0085", "\u000B", "\u000C", "\r", "\n")) {
            ObjectNode given = json.createObjectNode().put("label", "ok" + brk);
            assertThatThrownBy(() -> ParameterRules.resolve(echo, given))
                    .as("U+%04X", (int) brk.charAt(0))
                    .isInstanceOfSatisfying(
                            InvalidParametersException.class,
                            e -> assertThat(e.fields())
                                    .containsEntry(
                                            "label", "must be a single line (use a text parameter for several)"));
            assertThatThrownBy(() ->
                            ParameterRules.coerce(plain, json.getNodeFactory().textNode("a" + brk + "b")))
                    .as("U+%04X", (int) brk.charAt(0))
                    .hasMessage("must be a single line (use a text parameter for several)");
        }
    }

    @Test
    void textParametersKeepTheirLineBreaks() throws Exception {
        ResolvedParameters r = ParameterRules.resolve(
                CATALOG.find("echo-params").orElseThrow(),
                json.createObjectNode().put("notes", "one\u2028two\nthree\u0085four"));

        assertThat(r.visible().get("notes").asText()).isEqualTo("one\u2028two\nthree\u0085four");
    }
}
