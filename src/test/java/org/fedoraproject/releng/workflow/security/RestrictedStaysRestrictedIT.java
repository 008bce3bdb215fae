package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9, item 4: a restricted workflow whose file breaks or disappears stays exactly as hidden
 * as it was, because the engine keeps deciding with the last valid definition it loaded; and a
 * queued run does not fail because its file was broken for a moment.
 */
class RestrictedStaysRestrictedIT {

    /** Not YAML at all: the loader cannot even tell the workflow's visibility. */
    static final String BROKEN = "id: %s\nvisibility: [restricted\ntitle: {\n";

    @TempDir
    static Path home;

    static TestEngine engine;

    @BeforeAll
    static void start() {
        engine = Onlookers.startEngine(home);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void restrictedRunsStayHiddenWhileTheFileIsBrokenAndAfterItIsRemoved() throws Exception {
        // a copy of restricted-chore of its own, since this test breaks and removes it
        Path file = engine.catalogDir().resolve("hidden-chore.yaml");
        Files.writeString(
                file,
                Files.readString(engine.catalogDir().resolve("restricted-chore.yaml"))
                        .replace("id: restricted-chore", "id: hidden-chore"));
        awaitAdminSees("hidden-chore", false);
        JsonNode run = engine.trigger("hidden-chore", null);
        long id = run.get("id").asLong();
        long number = run.get("number").asLong();
        assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");

        Files.writeString(file, BROKEN.formatted("hidden-chore"));
        awaitAdminSees("hidden-chore", true);

        Onlookers.assertSeeNothingOf(engine, "hidden-chore", id, number);
        assertThat(engine.getWithToken("/api/runs/" + id).statusCode()).isEqualTo(200);
        assertThat(engine.log(id)).contains("Finished: SUCCEEDED");
        assertThat(engine.getWithToken("/api/workflows").body())
                .contains("hidden-chore.yaml")
                .contains("not valid YAML");
        assertThat(engine.getWithToken("/").body()).contains("hidden-chore").contains("not valid YAML");

        Files.delete(file);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !engine.getWithToken("/api/workflows").body().contains("hidden-chore"));

        Onlookers.assertSeeNothingOf(engine, "hidden-chore", id, number);
        assertThat(engine.getWithToken("/api/runs/" + id).statusCode()).isEqualTo(200);
        assertThat(engine.getWithToken("/job/hidden-chore/" + number + "/").statusCode())
                .isEqualTo(200);
    }

    @Test
    void publicRunsStayReadableWhileTheFileIsBroken() throws Exception {
        long id = engine.trigger("echo-params", null).get("id").asLong();
        engine.awaitFinal(id);
        Path file = engine.catalogDir().resolve("echo-params.yaml");
        String valid = Files.readString(file);

        Files.writeString(file, BROKEN.formatted("echo-params"));
        try {
            awaitAdminSees("echo-params", true);

            assertThat(engine.get("/api/runs/" + id).statusCode()).isEqualTo(200);
            assertThat(engine.get("/api/runs/" + id + "/log").body()).contains("Finished: SUCCEEDED");
            // its last valid definition was public: the broken file is everyone's to see and fix
            assertThat(engine.get("/api/workflows/echo-params").body()).contains("not valid YAML");
            assertThat(engine.get("/").body()).contains("echo-params.yaml");
        } finally {
            Files.writeString(file, valid);
            awaitAdminSees("echo-params", false);
        }
    }

    @Test
    void metricsNameNoRestrictedWorkflow() {
        long restricted = engine.trigger("restricted-chore", null).get("id").asLong();
        long open = engine.trigger("qa-smoke", null).get("id").asLong();
        engine.awaitFinal(restricted);
        engine.awaitFinal(open);

        String metrics = engine.get("/metrics").body();

        assertThat(metrics)
                .doesNotContain("restricted-chore")
                .containsPattern("releng_runs_finished_total\\{cause=\"[a-z]+\",status=\"succeeded\","
                        + "workflow=\"\\(restricted\\)\",\\} [1-9]")
                .contains("workflow=\"qa-smoke\"");
    }

    @Test
    void queuedRunOfABrieflyBrokenWorkflowSucceeds() throws Exception {
        long first = engine.trigger("sleeper", "{\"seconds\":600}").get("id").asLong();
        engine.awaitStatus(first, "running");
        long queued = engine.trigger("sleeper", "{\"seconds\":0}").get("id").asLong();
        assertThat(engine.run(queued).get("status").asText()).isEqualTo("queued");
        Path file = engine.catalogDir().resolve("sleeper.yaml");
        String valid = Files.readString(file);

        Files.writeString(file, BROKEN.formatted("sleeper"));
        try {
            awaitAdminSees("sleeper", true);
            // the slot frees while the file is broken: the queued run is taken now
            assertThat(engine.post("/api/runs/" + first + "/cancel", "", TestEngine.TOKEN)
                            .statusCode())
                    .isIn(200, 202);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !engine.run(queued).get("status").asText().equals("queued"));
        } finally {
            Files.writeString(file, valid);
        }

        JsonNode done = engine.awaitFinal(queued);
        assertThat(done.get("status").asText()).as(engine.log(queued)).isEqualTo("succeeded");
        assertThat(engine.log(queued))
                .contains("running with the last valid definition")
                .contains("awake after 0 seconds");
        awaitAdminSees("sleeper", false);
    }

    /** Waits for the catalog reload: the admin's view of the workflow says whether it is broken. */
    static void awaitAdminSees(String workflow, boolean broken) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var r = engine.getWithToken("/api/workflows/" + workflow);
            return r.statusCode() == 200 && engine.read(r.body()).path("broken").asBoolean() == broken;
        });
    }
}
