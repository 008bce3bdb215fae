package org.fedoraproject.releng.workflow.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedoraproject.releng.workflow.catalog.CatalogLoader;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run gauges cost one query per scrape window, whatever the number of workflows and gauges. */
class ActiveRunGaugesTest {

    final SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-01-01T00:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicInteger queries = new AtomicInteger();
    Map<String, Map<String, Long>> database = Map.of();

    @BeforeEach
    void register() {
        CatalogService catalog = new CatalogService(new CatalogLoader(TestEngine.FIXTURES.resolve("workflows"), clock));
        catalog.reload();
        ActiveRunCounts counts = () -> {
            queries.incrementAndGet();
            return database;
        };
        new ActiveRunGauges(counts, new WorkflowLabels(catalog), registry, clock).register();
    }

    double gauge(String name, String workflow) {
        return registry.get(name).tag("workflow", workflow).gauge().value();
    }

    @Test
    void oneQueryServesEveryGaugeUntilTheSnapshotIsStale() {
        database = Map.of("sleeper", Map.of("running", 1L, "queued", 3L));
        assertThat(gauge("releng_runs_running", "sleeper")).isEqualTo(1);
        assertThat(gauge("releng_runs_queued", "sleeper")).isEqualTo(3);
        assertThat(gauge("releng_runs_queued", "qa-smoke")).isZero();
        assertThat(gauge("releng_runs_waiting_approval", "sleeper")).isZero();
        assertThat(queries).hasValue(1);

        database = Map.of();
        clock.advance(ActiveRunGauges.FRESH_FOR);
        assertThat(gauge("releng_runs_queued", "sleeper")).isEqualTo(3);
        clock.advance(Duration.ofMillis(1));
        assertThat(gauge("releng_runs_queued", "sleeper")).isZero();
        assertThat(queries).hasValue(2);
    }

    @Test
    void restrictedAndUnknownWorkflowsAreSummedUnderOneLabel() {
        database = Map.of("restricted-chore", Map.of("running", 2L), "deleted-long-ago", Map.of("running", 1L));
        assertThat(gauge("releng_runs_running", WorkflowLabels.HIDDEN)).isEqualTo(3);
        assertThat(registry.find("releng_runs_running")
                        .tag("workflow", "restricted-chore")
                        .gauge())
                .isNull();
    }
}
