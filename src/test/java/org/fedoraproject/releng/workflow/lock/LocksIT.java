package org.fedoraproject.releng.workflow.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.ChildEngine;
import org.fedoraproject.releng.workflow.testsupport.Scrape;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow's {@code locks} on one engine: runs that share a lock take turns, oldest first, and
 * say who is in their way; other workflows run meanwhile; a lock held by an engine that died is
 * released when its run is marked lost.
 */
class LocksIT {

    private static final Path CATALOG = TestEngine.FIXTURES.resolve("lock-workflows");

    @TempDir
    Path home;

    private TestEngine engine() {
        TestEngine.copyTree(CATALOG, home.resolve("workflows"));
        return TestEngine.startWith(home, home.resolve("workflows"), null, Map.of());
    }

    @Test
    void runsSharingALockTakeTurnsOldestFirstAndSayWhoHoldsIt() throws Exception {
        Path marks = home.resolve("marks");
        Path release = home.resolve("release");
        try (TestEngine engine = engine()) {
            long holder = engine.trigger("compose-marks", Marks.params(marks, release))
                    .get("id")
                    .asLong();
            engine.awaitStatus(holder, "running");
            long push = engine.trigger("push-marks", Marks.params(marks, null))
                    .get("id")
                    .asLong();
            long compose = engine.trigger("compose-marks", Marks.params(marks, null))
                    .get("id")
                    .asLong();

            // a workflow without the lock is not held up by those waiting for it
            Path otherMarks = home.resolve("other-marks");
            long free = engine.trigger("lockless-marks", Marks.params(otherMarks, null))
                    .get("id")
                    .asLong();
            assertThat(engine.awaitFinal(free).get("status").asText()).isEqualTo("succeeded");
            assertThat(engine.run(holder).get("status").asText()).isEqualTo("running");

            JsonNode waiting = engine.run(push);
            assertThat(waiting.get("status").asText()).isEqualTo("queued");
            JsonNode waitingFor = waiting.get("waitingFor");
            assertThat(waitingFor.get("lock").asText()).isEqualTo("compose");
            assertThat(waitingFor.get("held").asBoolean()).isTrue();
            assertThat(waitingFor.get("run").get("id").asLong()).isEqualTo(holder);
            assertThat(waitingFor.get("run").get("workflow").asText()).isEqualTo("compose-marks");
            assertThat(waitingFor.get("run").get("number").asLong()).isEqualTo(1);
            assertThat(waitingFor.get("run").get("url").asText()).endsWith("/job/compose-marks/1/");
            assertThat(engine.run(compose)
                            .get("waitingFor")
                            .get("run")
                            .get("id")
                            .asLong())
                    .isEqualTo(holder);
            assertThat(engine.run(holder).get("waitingFor").isNull()).isTrue();
            assertThat(Scrape.of(engine).value("releng_runs_waiting_for_lock", Map.of()))
                    .isEqualTo(2.0);

            try (WebClient browser = new WebClient()) {
                browser.getOptions().setCssEnabled(false);
                browser.getOptions().setJavaScriptEnabled(false);
                HtmlPage page = browser.getPage(engine.url("/job/push-marks/1/"));
                assertThat(page.getElementById("waiting-for").asNormalizedText())
                        .isEqualTo("Waiting for lock compose, held by compose-marks #1");
                HtmlPage held = ((HtmlAnchor) page.getElementById("waiting-for-run")).click();
                assertThat(held.getUrl().getPath()).isEqualTo("/job/compose-marks/1/");
                assertThat(held.getElementById("waiting-for")).isNull();
            }

            Files.writeString(release, "go");

            for (long id : List.of(holder, push, compose)) {
                assertThat(engine.awaitFinal(id).get("status").asText())
                        .as(engine.log(id))
                        .isEqualTo("succeeded");
            }
            assertThat(Marks.inTurn(marks)).containsExactly(holder, push, compose);
            assertThat(engine.run(push).get("waitingFor").isNull()).isTrue();
        }
    }

    @Test
    void aRunWaitingOnlyBehindAnOlderOneSaysSo() throws Exception {
        Path marks = home.resolve("marks");
        Path release = home.resolve("release");
        try (TestEngine engine = engine()) {
            long holder = engine.trigger("sync-marks", Marks.params(marks, release))
                    .get("id")
                    .asLong();
            engine.awaitStatus(holder, "running");
            // wants compose and push: push is held by the sync
            long older = engine.trigger("push-marks", Marks.params(marks, null))
                    .get("id")
                    .asLong();
            // wants compose only, which is free: the older run that wants it too goes first
            long younger = engine.trigger("compose-marks", Marks.params(marks, null))
                    .get("id")
                    .asLong();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !engine.run(younger).get("waitingFor").isNull());

            JsonNode waitingFor = engine.run(younger).get("waitingFor");
            assertThat(waitingFor.get("lock").asText()).isEqualTo("compose");
            assertThat(waitingFor.get("held").asBoolean()).isFalse();
            assertThat(waitingFor.get("run").get("id").asLong()).isEqualTo(older);
            assertThat(engine.run(younger).get("status").asText()).isEqualTo("queued");

            Files.writeString(release, "go");
            for (long id : List.of(holder, older, younger)) {
                assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");
            }
            assertThat(Marks.inTurn(marks)).containsExactly(holder, older, younger);
        }
    }

    @Test
    void aHolderOfARestrictedWorkflowStaysHiddenFromThoseWhoCannotReadIt() throws Exception {
        Path marks = home.resolve("marks");
        Path release = home.resolve("release");
        try (TestEngine engine = engine()) {
            long holder = engine.trigger("restricted-marks", Marks.params(marks, release))
                    .get("id")
                    .asLong();
            engine.awaitStatus(holder, "running");
            long waiting = engine.trigger("push-marks", Marks.params(marks, null))
                    .get("id")
                    .asLong();

            JsonNode anonymous = engine.read(engine.get("/api/runs/" + waiting).body());
            assertThat(anonymous.get("waitingFor").get("lock").asText()).isEqualTo("compose");
            assertThat(anonymous.get("waitingFor").get("run").isNull()).isTrue();
            assertThat(engine.get("/job/push-marks/1/").body())
                    .contains("Waiting for lock compose, held by a run you cannot see")
                    .doesNotContain("restricted-marks");
            assertThat(engine.run(waiting)
                            .get("waitingFor")
                            .get("run")
                            .get("id")
                            .asLong())
                    .isEqualTo(holder);

            Files.writeString(release, "go");
            assertThat(engine.awaitFinal(waiting).get("status").asText()).isEqualTo("succeeded");
        }
    }

    @Test
    void aLockHeldByAnEngineThatDiedIsReleasedWhenItsRunIsMarkedLost() throws Exception {
        Path marks = home.resolve("marks");
        Path release = home.resolve("release");
        TestEngine.copyTree(CATALOG, home.resolve("workflows"));
        long holder;
        long waiting;
        ChildEngine crashing = ChildEngine.start(home);
        try {
            holder = crashing.trigger("compose-marks", Marks.params(marks, release));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(marks) && Files.readString(marks).contains("start " + holder));
            waiting = crashing.trigger("push-marks", Marks.params(marks, null));
            assertThat(crashing.status(waiting)).isEqualTo("queued");
        } finally {
            crashing.kill();
        }

        try (TestEngine restarted = TestEngine.startWith(home, home.resolve("workflows"), null, Map.of())) {
            assertThat(restarted.run(holder).get("status").asText()).isEqualTo("lost");
            JsonNode done = restarted.awaitFinal(waiting);
            assertThat(done.get("status").asText()).as(restarted.log(waiting)).isEqualTo("succeeded");
            assertThat(Files.readAllLines(marks))
                    .containsExactly("start " + holder, "start " + waiting, "end " + waiting);
        }
    }
}
