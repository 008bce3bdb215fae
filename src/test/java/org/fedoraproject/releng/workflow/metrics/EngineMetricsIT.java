package org.fedoraproject.releng.workflow.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.fedoraproject.releng.workflow.testsupport.Scrape;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #10, item 6: {@code /metrics} shows every family from start-up, and the run, HTTP and
 * JVM series move by exactly what happened.
 */
class EngineMetricsIT {

    @TempDir
    Path home;

    @Test
    void everyFamilyIsThereRightAfterStartAndRunsMoveTheirSeriesByExactlyOne() {
        try (TestEngine engine = TestEngine.start(home, null)) {
            Scrape first = scrape(engine);
            Map<String, Set<String>> families = Map.ofEntries(
                    Map.entry("releng_runs_queued", Set.of("workflow")),
                    Map.entry("releng_runs_waiting_approval", Set.of("workflow")),
                    Map.entry("releng_runs_running", Set.of("workflow")),
                    Map.entry("releng_runs_started_total", Set.of("workflow", "cause")),
                    Map.entry("releng_runs_finished_total", Set.of("workflow", "cause", "status")),
                    Map.entry("releng_run_duration_seconds_bucket", Set.of("workflow", "le")),
                    Map.entry("releng_run_duration_seconds_count", Set.of("workflow")),
                    Map.entry("releng_run_queue_wait_seconds_bucket", Set.of("workflow", "le")),
                    Map.entry("releng_run_queue_wait_seconds_count", Set.of("workflow")),
                    Map.entry("releng_trigger_messages_received_total", Set.of("bus")),
                    Map.entry("releng_trigger_messages_matched_total", Set.of("bus")),
                    Map.entry("releng_trigger_messages_dropped_total", Set.of("bus", "reason")),
                    Map.entry("releng_http_requests_total", Set.of("method", "route", "status")),
                    Map.entry("jvm_memory_used_bytes", Set.of("area", "id")),
                    Map.entry("jvm_gc_memory_allocated_bytes_total", Set.of()),
                    Map.entry("jvm_threads_live_threads", Set.of()),
                    Map.entry("jvm_classes_loaded_classes", Set.of()),
                    Map.entry("system_cpu_count", Set.of()),
                    Map.entry("process_uptime_seconds", Set.of()));
            families.forEach(
                    (name, keys) -> assertThat(first.labelKeys(name)).as(name).containsExactly(keys));
            assertThat(first.value("releng_runs_finished_total", Map.of("workflow", "qa-smoke", "status", "succeeded")))
                    .isZero();
            assertThat(first.series())
                    .anyMatch(s -> s.name().equals("releng_runs_queued")
                            && s.labels().equals(Map.of("workflow", "fail-on-second-task")));

            long ok = engine.trigger("qa-smoke", null).get("id").asLong();
            long bad = engine.trigger("fail-on-second-task", null).get("id").asLong();
            assertThat(engine.awaitFinal(ok).get("status").asText()).isEqualTo("succeeded");
            assertThat(engine.awaitFinal(bad).get("status").asText()).isEqualTo("failed");
            String cause = engine.run(ok).get("cause").get("type").asText();
            engine.get("/api/runs/" + ok);
            engine.get("/api/runs/" + ok);

            Scrape after = scrape(engine);
            assertThat(delta(first, after, "releng_runs_started_total", Map.of("workflow", "qa-smoke", "cause", cause)))
                    .isEqualTo(1);
            assertThat(delta(
                            first,
                            after,
                            "releng_runs_finished_total",
                            Map.of("workflow", "qa-smoke", "cause", cause, "status", "succeeded")))
                    .isEqualTo(1);
            assertThat(delta(first, after, "releng_runs_finished_total", Map.of("workflow", "qa-smoke")))
                    .isEqualTo(1);
            assertThat(delta(
                            first,
                            after,
                            "releng_runs_finished_total",
                            Map.of("workflow", "fail-on-second-task", "status", "failed")))
                    .isEqualTo(1);
            assertThat(delta(first, after, "releng_runs_finished_total", Map.of("status", "succeeded")))
                    .isEqualTo(1);
            assertThat(delta(first, after, "releng_run_duration_seconds_count", Map.of("workflow", "qa-smoke")))
                    .isEqualTo(1);
            assertThat(delta(
                            first,
                            after,
                            "releng_run_queue_wait_seconds_count",
                            Map.of("workflow", "fail-on-second-task")))
                    .isEqualTo(1);
            assertThat(after.value("releng_run_duration_seconds_sum", Map.of("workflow", "qa-smoke")))
                    .isPositive();
            assertThat(delta(
                            first,
                            after,
                            "releng_http_requests_total",
                            Map.of("method", "GET", "route", "/api/runs/{id}", "status", "200")))
                    .isGreaterThanOrEqualTo(2);
            assertThat(after.series())
                    .filteredOn(s -> s.name().equals("releng_http_requests_total"))
                    .noneMatch(s -> s.labels().get("route").contains("/" + ok));
            assertThat(after.text()).doesNotContain("restricted-chore");
        }
    }

    @Test
    void runGaugesCountWhatIsQueuedAndRunningNow() {
        try (TestEngine engine = TestEngine.start(home, null)) {
            long running =
                    engine.trigger("sleeper", "{\"seconds\":600}").get("id").asLong();
            engine.awaitStatus(running, "running");
            long queued = engine.trigger("sleeper", "{\"seconds\":0}").get("id").asLong();
            assertThat(engine.run(queued).get("status").asText()).isEqualTo("queued");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Scrape now = scrape(engine);
                assertThat(now.value("releng_runs_running", Map.of("workflow", "sleeper")))
                        .isEqualTo(1);
                assertThat(now.value("releng_runs_queued", Map.of("workflow", "sleeper")))
                        .isEqualTo(1);
                assertThat(now.value("releng_runs_waiting_approval", Map.of("workflow", "sleeper")))
                        .isZero();
            });
            engine.post("/api/runs/" + running + "/cancel", "", TestEngine.TOKEN);
            engine.awaitFinal(queued);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Scrape now = scrape(engine);
                assertThat(now.value("releng_runs_running", Map.of("workflow", "sleeper")))
                        .isZero();
                assertThat(now.value("releng_runs_queued", Map.of("workflow", "sleeper")))
                        .isZero();
            });
        }
    }

    static Scrape scrape(TestEngine engine) {
        return Scrape.of(engine);
    }

    static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.since(before, name, labels);
    }
}
