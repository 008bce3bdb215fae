package org.fedoraproject.releng.workflow.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code releng_runs_queued}, {@code releng_runs_waiting_approval} and {@code releng_runs_running}
 * by workflow. All gauges of a scrape read one snapshot, taken by one grouped query and kept for
 * {@link #FRESH_FOR}, so that a scrape costs one round trip and a busy scraper cannot load the database.
 */
final class ActiveRunGauges {

    static final Duration FRESH_FOR = Duration.ofSeconds(2);
    private static final Map<String, String> STATUSES = Map.of(
            "releng_runs_queued", "queued",
            "releng_runs_waiting_approval", "waiting_approval",
            "releng_runs_running", "running");

    private final ActiveRunCounts source;
    private final WorkflowLabels labels;
    private final MeterRegistry registry;
    private final Clock clock;
    private Map<String, Map<String, Long>> snapshot = Map.of();
    private Instant takenAt = Instant.MIN;

    ActiveRunGauges(ActiveRunCounts source, WorkflowLabels labels, MeterRegistry registry, Clock clock) {
        this.source = source;
        this.labels = labels;
        this.registry = registry;
        this.clock = clock;
    }

    /** One gauge per name and current label; gauges of labels that went away are removed. */
    void register() {
        Set<String> current = labels.all();
        for (Meter meter : List.copyOf(registry.getMeters())) {
            String workflow = meter.getId().getTag("workflow");
            if (STATUSES.containsKey(meter.getId().getName()) && !current.contains(workflow)) {
                registry.remove(meter);
            }
        }
        for (Map.Entry<String, String> family : STATUSES.entrySet()) {
            for (String label : current) {
                Gauge.builder(family.getKey(), this, g -> g.count(label, family.getValue()))
                        .tag("workflow", label)
                        .description("runs " + family.getValue().replace('_', ' ') + " now, by workflow")
                        .register(registry);
            }
        }
    }

    private synchronized double count(String label, String status) {
        Instant now = clock.instant();
        if (now.isAfter(takenAt.plus(FRESH_FOR)) || now.isBefore(takenAt)) {
            try {
                snapshot = byLabel(source.count());
            } catch (RuntimeException e) {
                // the database is unreachable: say "unknown" rather than fail the whole scrape
                return Double.NaN;
            }
            takenAt = now;
        }
        return snapshot.getOrDefault(label, Map.of()).getOrDefault(status, 0L);
    }

    private Map<String, Map<String, Long>> byLabel(Map<String, Map<String, Long>> byWorkflow) {
        Map<String, Map<String, Long>> summed = new HashMap<>();
        byWorkflow.forEach((workflow, counts) ->
                counts.forEach((status, n) -> summed.computeIfAbsent(labels.of(workflow), l -> new HashMap<>())
                        .merge(status, n, Long::sum)));
        return summed;
    }
}
