package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.fedoraproject.releng.workflow.access.Principal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definition's {@code approval} key, and whom its {@code unless} lets through. */
class ApprovalDefinitionsTest {

    @TempDir
    Path catalog;

    @BeforeEach
    void playbook() throws Exception {
        Files.createDirectories(catalog.resolve("playbooks"));
        Files.writeString(catalog.resolve("playbooks/p.yml"), "- hosts: localhost\n  tasks: []\n");
    }

    Catalog load(String extra) throws Exception {
        Files.writeString(catalog.resolve("w.yaml"), "id: w\ntitle: T\nplaybook: playbooks/p.yml\n" + extra);
        return new CatalogLoader(catalog, Clock.systemUTC(), List.of(TopicPattern.ENGINE_ANNOUNCEMENTS), Set.of())
                .load();
    }

    List<String> errors(String extra) throws Exception {
        return load(extra)
                .findBroken("w")
                .orElseThrow(() -> new AssertionError("not broken"))
                .errors();
    }

    @Test
    void theDesignsExampleReadsAsWritten() throws Exception {
        WorkflowDefinition w = load("approval: {count: 2, timeout: 30m, unless: [schedule, \"group:releng\"]}\n")
                .find("w")
                .orElseThrow();

        assertThat(w.approval())
                .contains(new ApprovalRule(2, Duration.ofMinutes(30), List.of("schedule"), List.of("group:releng")));
    }

    @Test
    void anEmptyRuleMeansOneApprovalWithinADay() throws Exception {
        assertThat(load("approval: {}\n").find("w").orElseThrow().approval())
                .contains(new ApprovalRule(1, Duration.ofHours(24), List.of(), List.of()));
        assertThat(load("").find("w").orElseThrow().approval()).isEmpty();
    }

    @Test
    void everyMistakeBreaksTheDefinitionNamingTheKey() throws Exception {
        assertThat(errors("approval: {count: 0}\n"))
                .singleElement()
                .asString()
                .contains("approval.count: must be at least 1");
        assertThat(errors("approval: {timeout: soon}\n"))
                .singleElement()
                .asString()
                .contains("approval.timeout");
        assertThat(errors("approval: {timeout: 0s}\n"))
                .singleElement()
                .asString()
                .contains("approval.timeout");
        assertThat(errors("approval: {unless: [cron]}\n"))
                .singleElement()
                .asString()
                .contains(
                        "approval.unless: `cron` must be a cause (api, chain, manual, message, pipeline, relaunch, schedule)");
        assertThat(errors("approval: {unless: [\"team:qa\"]}\n"))
                .singleElement()
                .asString()
                .contains("approval.unless");
        assertThat(errors("approval: {cuont: 2}\n")).singleElement().asString().contains("cuont");
    }

    @Test
    void unlessWaivesNamedCausesUsersAndGroups() {
        ApprovalRule rule =
                new ApprovalRule(1, Duration.ofHours(1), List.of("schedule"), List.of("user:mohan", "group:releng"));
        Principal qa = new Principal(Principal.Kind.USER, "adamw", Set.of("qa"));

        assertThat(rule.requiredFor("schedule", null)).isFalse();
        assertThat(rule.requiredFor("message", null)).isTrue();
        assertThat(rule.requiredFor("manual", qa)).isTrue();
        assertThat(rule.requiredFor("manual", new Principal(Principal.Kind.USER, "mohan", Set.of())))
                .isFalse();
        assertThat(rule.requiredFor("api", new Principal(Principal.Kind.SERVICE_ACCOUNT, "bot", Set.of("ReleNG"))))
                .isFalse();
    }
}
