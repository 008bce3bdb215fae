package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fedoraproject.releng.workflow.catalog.Catalog;
import org.fedoraproject.releng.workflow.catalog.CatalogLoader;
import org.fedoraproject.releng.workflow.catalog.InvalidParametersException;
import org.fedoraproject.releng.workflow.catalog.ParameterDefinition;
import org.fedoraproject.releng.workflow.catalog.ParameterRules;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.testsupport.ReleaseFakes;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9: a pattern must not be a half guard. {@code ^https?://} only says how a value starts,
 * so {@code "https://x\n{{ … }}"} passed it; definitions must now anchor both ends, and a value
 * must match the pattern as a whole.
 */
class PatternsAreAnchoredTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PAYLOAD = "{{ lookup('pipe', 'id') }}";

    @TempDir
    Path dir;

    Path catalog;

    @BeforeEach
    void copyFixtures() {
        catalog = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
    }

    Catalog withParameter(String id, String parameterYaml) throws Exception {
        Files.writeString(
                catalog.resolve(id + ".yaml"),
                "id: " + id + "\ntitle: Patterns\n" + "playbook: playbooks/echo-params.yml\nparameters:\n  - "
                        + parameterYaml + "\n");
        return new CatalogLoader(catalog, Clock.systemUTC()).load();
    }

    static ObjectNode given(String name, String value) {
        return JSON.createObjectNode().put(name, value);
    }

    @Test
    void aPatternThatOnlySaysHowAValueStartsBreaksTheDefinition() throws Exception {
        Catalog c = withParameter("half-guard", "{name: url, type: text, pattern: \"^https?://\"}");

        assertThat(c.find("half-guard")).isEmpty();
        assertThat(c.findBroken("half-guard").orElseThrow().errors())
                .singleElement()
                .asString()
                .isEqualTo(
                        "workflows/half-guard.yaml:5: parameters[0].pattern: parameter `url`: pattern must be anchored with ^ and $"
                                + " (or \\A and \\z)");
    }

    @Test
    void everyUnanchoredFormIsRefusedAndEveryAnchoredOneAccepted() throws Exception {
        for (String unanchored : List.of("https?://.*$", "(?m)^x$", "^x\\\\$", "^x|y", "^x\\\\\\\\z")) {
            Catalog c = withParameter("unanchored", "{name: v, type: string, pattern: \"" + unanchored + "\"}");
            assertThat(c.findBroken("unanchored")).as(unanchored).isPresent();
        }
        for (String anchored : List.of("^x$", "\\\\Ax\\\\z", "^x\\\\\\\\$", "^(a|b)$")) {
            Catalog c = withParameter("anchored", "{name: v, type: string, pattern: \"" + anchored + "\"}");
            assertThat(c.findBroken("anchored")).as(anchored).isEmpty();
        }
    }

    @Test
    void aValueMustMatchThePatternAsAWhole() throws Exception {
        // anchored at both ends, yet each anchor binds one alternative only
        WorkflowDefinition w = withParameter(
                        "alternatives", "{name: release, type: text, pattern: \"^rawhide|[0-9]+$\"}")
                .find("alternatives")
                .orElseThrow();

        assertThat(ParameterRules.resolve(w, given("release", "rawhide"))
                        .visible()
                        .get("release")
                        .asText())
                .isEqualTo("rawhide");
        assertThat(ParameterRules.resolve(w, given("release", "42"))
                        .visible()
                        .get("release")
                        .asText())
                .isEqualTo("42");
        for (String sneaky : List.of("rawhide " + PAYLOAD, PAYLOAD + " 42", "rawhide\n" + PAYLOAD, PAYLOAD + "\n42")) {
            assertThatThrownBy(() -> ParameterRules.resolve(w, given("release", sneaky)))
                    .as(sneaky)
                    .isInstanceOfSatisfying(
                            InvalidParametersException.class,
                            e -> assertThat(e.fields()).containsEntry("release", "must match ^rawhide|[0-9]+$"));
        }
    }

    @Test
    void everyShippedPatternIsAnchoredAndTheTestDayUrlAdmitsNoTemplate() {
        Catalog shipped = new CatalogLoader(ReleaseFakes.projectDir().resolve("workflows"), Clock.systemUTC()).load();

        assertThat(shipped.broken()).isEmpty();
        int checked = 0;
        for (WorkflowDefinition w : shipped.workflows()) {
            for (ParameterDefinition p : w.parameters()) {
                if (p.pattern() != null) {
                    assertThat(p.pattern()).as("%s: %s", w.id(), p.name()).matches("(\\^|\\\\A).*(\\$|\\\\z)");
                    checked++;
                }
            }
        }
        assertThat(checked).as("shipped patterns checked").isPositive();
        WorkflowDefinition testDay = shipped.find("test-day-prep").orElseThrow();
        ParameterDefinition url = testDay.parameter("test_day_url").orElseThrow();
        ObjectNode given = JSON.createObjectNode()
                .put("release", "F42")
                .put("packages", "kernel")
                .put("test_day_title", "Kernel")
                .put("test_day_date", "2026-12-01")
                .put("bodhi_token", "t0ken-for-bodhi");
        given.put(url.name(), "https://fedoraproject.org/wiki/Test_Day:2026-12-01_Kernel_6.17?a=1&b=%20#top");
        assertThat(ParameterRules.resolve(testDay, given)
                        .visible()
                        .get(url.name())
                        .asText())
                .startsWith("https://");
        for (String sneaky : List.of("https://x/" + PAYLOAD, "https://x " + PAYLOAD, "https://x{%raw%}")) {
            given.put(url.name(), sneaky);
            assertThatThrownBy(() -> ParameterRules.resolve(testDay, given))
                    .as(sneaky)
                    .isInstanceOfSatisfying(
                            InvalidParametersException.class,
                            e -> assertThat(e.fields()).containsKey(url.name()));
        }
    }
}
