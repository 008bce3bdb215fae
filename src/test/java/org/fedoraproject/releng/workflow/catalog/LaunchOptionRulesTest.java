package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.junit.jupiter.api.Test;

class LaunchOptionRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AllowedOptions ALL = new AllowedOptions(true, true, true, false, List.of("compose", "sync"), 3);
    static final AllowedOptions ANY_TAG = new AllowedOptions(false, false, false, true, List.of(), 0);

    static Map<String, String> errors(AllowedOptions allowed, String options) throws Exception {
        Map<String, String> errors = new TreeMap<>();
        LaunchOptionRules.resolve(allowed, JSON.readTree(options), errors);
        return errors;
    }

    @Test
    void allowedOptionsBecomeTheRunsOptions() throws Exception {
        Map<String, String> errors = new TreeMap<>();
        LaunchOptions o = LaunchOptionRules.resolve(
                ALL,
                JSON.readTree("{\"check\":true,\"diff\":true,\"limit\":\"compose-x86-*:&prod:!compose-x86-0[1:3]\","
                        + "\"tags\":[\"sync\",\"sync\"],\"skipTags\":[],\"verbosity\":2}"),
                errors);

        assertThat(errors).isEmpty();
        assertThat(o)
                .isEqualTo(new LaunchOptions(
                        true, true, "compose-x86-*:&prod:!compose-x86-0[1:3]", List.of("sync"), List.of(), 2));
    }

    @Test
    void noOptionsOrFalseOnesNeedNoPermission() throws Exception {
        assertThat(errors(
                        AllowedOptions.NONE,
                        "{\"check\":false,\"diff\":false,\"limit\":\"\",\"tags\":[],"
                                + "\"skipTags\":[],\"verbosity\":0}"))
                .isEmpty();
        assertThat(LaunchOptionRules.resolve(AllowedOptions.NONE, null, new TreeMap<>()))
                .isEqualTo(LaunchOptions.NONE);
    }

    @Test
    void optionsTheWorkflowDoesNotAllowAreRefusedEachByName() throws Exception {
        assertThat(errors(
                        AllowedOptions.NONE,
                        "{\"check\":true,\"diff\":true,\"limit\":\"a\",\"tags\":[\"x\"],"
                                + "\"skipTags\":[\"y\"],\"verbosity\":1}"))
                .containsOnlyKeys(
                        "options.check",
                        "options.diff",
                        "options.limit",
                        "options.tags",
                        "options.skipTags",
                        "options.verbosity")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo("not allowed for this workflow"));
    }

    @Test
    void aHostPatternThatWouldReadAFileOrHoldsOddCharactersIsRefused() throws Exception {
        for (String limit : List.of(
                "@/etc/passwd",
                "@hosts",
                "-e@x",
                "web01 web02",
                "web01\n",
                "web\u0000",
                "{{ evil }}",
                "$(id)",
                "web;id",
                "~regex.*",
                "a".repeat(1001))) {
            assertThat(errors(ALL, "{\"limit\":" + JSON.writeValueAsString(limit) + "}"))
                    .as(limit)
                    .containsOnlyKeys("options.limit");
        }
        assertThat(errors(ALL, "{\"limit\":\"@/etc/passwd\"}"))
                .containsEntry("options.limit", "must not start with @ (Ansible would read host names from a file)");
        assertThat(errors(ALL, "{\"limit\":5}")).containsOnlyKeys("options.limit");
    }

    @Test
    void tagsMustBeAmongTheListedOnes() throws Exception {
        assertThat(errors(ALL, "{\"tags\":[\"sync\",\"deploy\"]}"))
                .containsEntry("options.tags", "`deploy`: must be among compose, sync");
        assertThat(errors(ALL, "{\"skipTags\":[\"all\"]}")).containsOnlyKeys("options.skipTags");
        assertThat(errors(ALL, "{\"tags\":\"sync\"}")).containsOnlyKeys("options.tags");
        assertThat(errors(ALL, "{\"tags\":[1]}")).containsOnlyKeys("options.tags");
    }

    @Test
    void withTagsTrueAnyTagNameWillDoButNotAList() throws Exception {
        assertThat(errors(ANY_TAG, "{\"tags\":[\"whatever_1\",\"x.y-z\"],\"skipTags\":[\"never\"]}"))
                .isEmpty();
        assertThat(errors(ANY_TAG, "{\"tags\":[\"a,b\"]}")).containsOnlyKeys("options.tags");
        assertThat(errors(ANY_TAG, "{\"tags\":[\"{{x}}\"]}")).containsOnlyKeys("options.tags");
    }

    @Test
    void verbosityIsBoundedByTheDefinition() throws Exception {
        assertThat(errors(ALL, "{\"verbosity\":3}")).isEmpty();
        assertThat(errors(ALL, "{\"verbosity\":4}")).containsEntry("options.verbosity", "at most 3 for this workflow");
        assertThat(errors(ALL, "{\"verbosity\":-1}")).containsOnlyKeys("options.verbosity");
        assertThat(errors(ALL, "{\"verbosity\":\"2\"}")).containsOnlyKeys("options.verbosity");
        assertThat(errors(ALL, "{\"verbosity\":1.5}")).containsOnlyKeys("options.verbosity");
    }

    @Test
    void malformedOptionsAreNamed() throws Exception {
        assertThat(errors(ALL, "{\"check\":\"yes\"}")).containsEntry("options.check", "must be true or false");
        assertThat(errors(ALL, "{\"forks\":50}")).containsOnlyKeys("options.forks");
        assertThat(errors(ALL, "[true]")).containsOnlyKeys("options");
        JsonNode text = JSON.readTree("\"--check\"");
        Map<String, String> e = new TreeMap<>();
        LaunchOptionRules.resolve(ALL, text, e);
        assertThat(e).containsOnlyKeys("options");
    }
}
