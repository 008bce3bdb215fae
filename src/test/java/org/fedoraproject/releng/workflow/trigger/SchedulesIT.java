package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.fedoraproject.releng.workflow.catalog.CronText;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulesIT {

    @TempDir
    Path home;

    @Test
    void fiveFieldCronIsDueAtTheMinuteInItsZone() {
        var nightly = CronText.schedule("0 3 * * *", "Europe/Prague");
        assertThat(nightly.getInitialExecutionTime(Instant.parse("2026-11-25T01:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-25T02:00:00Z"));
        assertThat(nightly.getInitialExecutionTime(Instant.parse("2026-11-25T02:00:01Z")))
                .isEqualTo(Instant.parse("2026-11-26T02:00:00Z"));
        // summer time: three o'clock in Prague is one o'clock UTC
        assertThat(nightly.getInitialExecutionTime(Instant.parse("2026-03-28T03:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    }

    @Test
    void badCronIsRefusedWithTheReason() {
        assertThatThrownBy(() -> CronText.schedule("0 3 * *", "UTC")).hasMessageContaining("must have 5 fields");
        assertThatThrownBy(() -> CronText.schedule("0 99 * * *", "UTC"))
                .hasMessageStartingWith("`0 99 * * *` is not a cron expression");
    }

    @Test
    void scheduleStartsRunsWithItsCauseAndShowsTheNextDueTime() throws Exception {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("scheduled-workflows"), catalog);
        try (TestEngine engine = TestEngine.startWith(home, catalog, null, Map.of())) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> scheduledRuns(engine).size() >= 2);
            JsonNode run = engine.read(engine.get("/api/runs?workflow=every-two-seconds&limit=1")
                            .body())
                    .get("runs")
                    .get(0);
            assertThat(run.get("cause").get("type").asText()).isEqualTo("schedule");
            assertThat(run.get("cause").get("user").isNull()).isTrue();
            assertThat(run.get("cause").get("detail").asText())
                    .startsWith("due ")
                    .contains("*/2 * * * * * UTC");

            Instant expected = CronText.schedule("0 3 * * *", "Europe/Prague").getInitialExecutionTime(Instant.now());
            JsonNode nightly = engine.read(engine.get("/api/workflows/nightly").body());
            assertThat(Instant.parse(nightly.get("nextDue").asText())).isEqualTo(expected);
            assertThat(engine.get("/job/nightly/").body()).contains("next <span id=\"next-due\">");

            // the missed-due-time rule (MissedDueTimesTest) is the one the firing schedule obeys
            var skipping = new Schedules.WorkflowSchedule("nightly", "0 3 * * *", "Europe/Prague", "skip");
            assertThat(engine.engine().schedules().fire(skipping, Instant.now().minus(Duration.ofHours(5))))
                    .isEmpty();
            assertThat(engine.read(engine.get("/api/runs?workflow=nightly").body())
                            .get("runs"))
                    .isEmpty();
        }
    }

    static Set<String> scheduledRuns(TestEngine engine) {
        Set<String> due = new HashSet<>();
        engine.read(engine.get("/api/runs?workflow=every-two-seconds&limit=500").body())
                .get("runs")
                .forEach(r -> due.add(r.get("cause").get("detail").asText()));
        return due;
    }
}
