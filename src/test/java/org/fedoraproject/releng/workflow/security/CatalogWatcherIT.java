package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9, item 6: whoever can write to the catalog (a merged pull request, a bad pull on the
 * server) must not be able to stop the engine from starting or the watcher from reloading.
 */
class CatalogWatcherIT {

    static final String NUL_PATH = "id: nul-path\ntitle: NUL\nplaybook: \"playbooks/a\\0b.yml\"\n";
    static final String NUL_ERROR =
            "workflows/nul-path.yaml:3: playbook: `playbooks/a\\u0000b.yml` is not a valid path: "
                    + "it contains a NUL character";

    @TempDir
    Path home;

    @Test
    void watcherSurvivesADefinitionWithANulPathAndStillPicksUpTheNextOne() throws Exception {
        try (TestEngine engine = TestEngine.start(home, null)) {
            Files.writeString(engine.catalogDir().resolve("nul-path.yaml"), NUL_PATH);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> listed(engine, "nul-path").isPresent());

            Files.writeString(engine.catalogDir().resolve("playbooks/late-arrival.yml"), """
                    - hosts: localhost
                      gather_facts: false
                      tasks:
                        - ansible.builtin.debug: {msg: "arrived late"}
                    """);
            Files.writeString(engine.catalogDir().resolve("late-arrival.yaml"), """
                    id: late-arrival
                    title: Added after the broken one
                    playbook: playbooks/late-arrival.yml
                    """);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> listed(engine, "late-arrival").isPresent());

            assertThat(listed(engine, "late-arrival")
                            .orElseThrow()
                            .path("broken")
                            .asBoolean())
                    .isFalse();
            JsonNode broken = listed(engine, "nul-path").orElseThrow();
            assertThat(broken.path("broken").asBoolean()).isTrue();
            assertThat(broken.path("errors").get(0).asText()).isEqualTo(NUL_ERROR);
            long run = engine.trigger("late-arrival", "{}").get("id").asLong();
            assertThat(engine.awaitFinal(run).get("status").asText())
                    .as(engine.log(run))
                    .isEqualTo("succeeded");
            assertThat(engine.log(run)).contains("arrived late");
        }
    }

    @Test
    void engineStartsWithANulPathDefinitionInItsCatalog() throws Exception {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        Files.writeString(catalog.resolve("nul-path.yaml"), NUL_PATH);

        try (TestEngine engine = TestEngine.start(home, null)) {
            assertThat(listed(engine, "nul-path")
                            .orElseThrow()
                            .path("errors")
                            .get(0)
                            .asText())
                    .isEqualTo(NUL_ERROR);
            assertThat(listed(engine, "sleeper").orElseThrow().path("broken").asBoolean())
                    .isFalse();
        }
    }

    @Test
    void watcherSurvivesTheCatalogDirectoryBeingReplaced() throws Exception {
        try (TestEngine engine = TestEngine.start(home, null)) {
            Path catalog = engine.catalogDir();
            Path fresh = home.resolve("fresh-clone");
            TestEngine.copyTree(catalog, fresh);
            Files.writeString(fresh.resolve("from-the-clone.yaml"), """
                    id: from-the-clone
                    title: Only in the new checkout
                    playbook: playbooks/echo-params.yml
                    """);

            // as `rm -rf workflows && git clone … workflows` does: the watched directory is gone
            deleteTree(catalog);
            Files.move(fresh, catalog);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> listed(engine, "from-the-clone").isPresent());
            Files.writeString(catalog.resolve("after-the-clone.yaml"), """
                    id: after-the-clone
                    title: Added to the new checkout
                    playbook: playbooks/echo-params.yml
                    """);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> listed(engine, "after-the-clone").isPresent());
        }
    }

    @Test
    void watcherFollowsTheCatalogPathWhenTheOldDirectoryIsMovedAside() throws Exception {
        try (TestEngine engine = TestEngine.start(home, null)) {
            Path catalog = engine.catalogDir();
            Path fresh = home.resolve("fresh-clone");
            TestEngine.copyTree(catalog, fresh);
            Files.writeString(fresh.resolve("from-the-clone.yaml"), """
                    id: from-the-clone
                    title: Only in the new checkout
                    playbook: playbooks/echo-params.yml
                    """);

            // a deployment that swaps checkouts: the old directory lives on elsewhere, still watchable
            Files.move(catalog, home.resolve("previous-checkout"));
            Files.move(fresh, catalog);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> listed(engine, "from-the-clone").isPresent());
        }
    }

    private static Optional<JsonNode> listed(TestEngine engine, String id) {
        // as an admin: a file that never loaded is listed only to those who may read anything
        JsonNode all = engine.read(engine.getWithToken("/api/workflows").body()).path("workflows");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(w -> w.path("id").asText().equals(id))
                .findFirst();
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
