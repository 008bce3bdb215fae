package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definition's {@code options} and {@code vault} keys. */
class LaunchOptionDefinitionsTest {

    @TempDir
    Path catalog;

    @BeforeEach
    void playbook() throws Exception {
        Files.createDirectories(catalog.resolve("playbooks"));
        Files.writeString(catalog.resolve("playbooks/p.yml"), "- hosts: localhost\n  tasks: []\n");
    }

    Catalog load(String id, String extra, Set<String> vaultIds) throws Exception {
        Files.writeString(
                catalog.resolve(id + ".yaml"), "id: " + id + "\ntitle: T\nplaybook: playbooks/p.yml\n" + extra);
        return new CatalogLoader(catalog, Clock.systemUTC(), List.of(TopicPattern.ENGINE_ANNOUNCEMENTS), vaultIds)
                .load();
    }

    List<String> errors(String extra) throws Exception {
        return load("w", extra, Set.of("releng"))
                .findBroken("w")
                .orElseThrow(() -> new AssertionError("not broken"))
                .errors();
    }

    @Test
    void absentOptionsAllowNothing() throws Exception {
        WorkflowDefinition w = load("w", "", Set.of()).find("w").orElseThrow();

        assertThat(w.options()).isEqualTo(AllowedOptions.NONE);
        assertThat(w.options().allowsAny()).isFalse();
        assertThat(w.vault()).isEmpty();
    }

    @Test
    void theDesignsExampleReadsAsWritten() throws Exception {
        WorkflowDefinition w = load(
                        "w",
                        "options: {check: true, diff: true, limit: true, tags: [compose, sync], verbosity: 3}\n"
                                + "vault: [releng]\n",
                        Set.of("releng"))
                .find("w")
                .orElseThrow();

        assertThat(w.options()).isEqualTo(new AllowedOptions(true, true, true, false, List.of("compose", "sync"), 3));
        assertThat(w.vault()).containsExactly("releng");
    }

    @Test
    void tagsTrueMeansAnyTag() throws Exception {
        WorkflowDefinition w =
                load("w", "options: {tags: true}\n", Set.of()).find("w").orElseThrow();

        assertThat(w.options().anyTag()).isTrue();
        assertThat(w.options().allowsTags()).isTrue();
        assertThat(w.options().check()).isFalse();
    }

    @Test
    void badOptionsBreakTheDefinitionNamingTheKey() throws Exception {
        assertThat(errors("options: {verbosity: 7}\n"))
                .singleElement()
                .asString()
                .contains("options.verbosity");
        assertThat(errors("options: {tags: sync}\n")).singleElement().asString().contains("options.tags");
        assertThat(errors("options: {tags: [\"a b\"]}\n"))
                .singleElement()
                .asString()
                .contains("options.tags");
        assertThat(errors("options: {forks: 5}\n")).singleElement().asString().contains("unknown key `options.forks`");
    }

    @Test
    void aVaultIdTheConfigurationLacksBreaksTheDefinition() throws Exception {
        assertThat(errors("vault: [signing]\n"))
                .singleElement()
                .asString()
                .contains("vault[0]: vault id `signing` has no password file in the engine's configuration"
                        + " (ansible.vaultPasswordFiles has releng)");
        assertThat(errors("vault: [\"releng@/tmp/x\"]\n"))
                .singleElement()
                .asString()
                .contains("is not a vault id");
        assertThat(errors("vault: [releng, releng]\n"))
                .singleElement()
                .asString()
                .contains("named twice");
        assertThat(load("v", "vault: [releng]\n", Set.of())
                        .findBroken("v")
                        .orElseThrow()
                        .errors())
                .singleElement()
                .asString()
                .contains("(ansible.vaultPasswordFiles is empty)");
    }
}
