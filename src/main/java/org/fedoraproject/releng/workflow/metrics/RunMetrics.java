package org.fedoraproject.releng.workflow.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunObserver;
import org.fedoraproject.releng.workflow.run.RunStatus;

/**
 * Runs started and finished (counters by workflow, cause and, when finished, status), run duration
 * and queue wait (histograms by workflow), from each committed status change. Every series of
 * every current workflow exists from start-up, at zero, so that a rate() never misses the first run.
 */
final class RunMetrics implements RunObserver {

    static final String STARTED = "releng_runs_started";
    static final String FINISHED = "releng_runs_finished";
    static final String DURATION = "releng_run_duration";
    static final String QUEUE_WAIT = "releng_run_queue_wait";
    private static final Set<String> FAMILIES = Set.of(STARTED, FINISHED, DURATION, QUEUE_WAIT);
    /** The cause types {@code Cause} knows; anything else is counted as {@code other}, to keep the label bounded. */
    static final List<String> CAUSES = List.of("manual", "api", "schedule", "message", "pipeline", "relaunch", "other");
    /** Seconds to hours: a compose takes hours, a smoke test seconds. */
    private static final Duration[] BUCKETS = Arrays.stream(
                    new long[] {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400})
            .mapToObj(Duration::ofSeconds)
            .toArray(Duration[]::new);

    private final WorkflowLabels labels;
    private final MeterRegistry registry;

    RunMetrics(WorkflowLabels labels, MeterRegistry registry) {
        this.labels = labels;
        this.registry = registry;
    }

    /**
     * Registers the series of every current label and drops those whose label went away (a
     * workflow that became restricted takes its name out of the series it had while public).
     */
    void register() {
        Set<String> current = labels.all();
        for (Meter meter : List.copyOf(registry.getMeters())) {
            if (FAMILIES.contains(meter.getId().getName())
                    && !current.contains(meter.getId().getTag("workflow"))) {
                registry.remove(meter);
            }
        }
        for (String workflow : current) {
            for (String cause : CAUSES) {
                started(workflow, cause);
                for (RunStatus status : RunStatus.values()) {
                    if (status.isFinal()) {
                        finished(workflow, cause, status);
                    }
                }
            }
            timer(DURATION, workflow, "time from start to end of runs that started");
            timer(QUEUE_WAIT, workflow, "time runs waited in the queue before they started");
        }
    }

    @Override
    public void transitioned(Run run) {
        String workflow = labels.of(run.workflowId());
        String cause = CAUSES.contains(run.cause().type()) ? run.cause().type() : "other";
        if (run.status() == RunStatus.RUNNING) {
            started(workflow, cause).increment();
            if (run.queuedAt() != null && run.startedAt() != null) {
                timer(QUEUE_WAIT, workflow, null).record(Duration.between(run.queuedAt(), run.startedAt()));
            }
        } else if (run.status().isFinal()) {
            finished(workflow, cause, run.status()).increment();
            if (run.startedAt() != null && run.finishedAt() != null) {
                timer(DURATION, workflow, null).record(Duration.between(run.startedAt(), run.finishedAt()));
            }
        }
    }

    private Counter started(String workflow, String cause) {
        return Counter.builder(STARTED)
                .tag("workflow", workflow)
                .tag("cause", cause)
                .description("runs that started, by workflow and cause")
                .register(registry);
    }

    private Counter finished(String workflow, String cause, RunStatus status) {
        return Counter.builder(FINISHED)
                .tag("workflow", workflow)
                .tag("cause", cause)
                .tag("status", status.id())
                .description("runs that ended, by workflow, cause and final status")
                .register(registry);
    }

    private Timer timer(String name, String workflow, String description) {
        return Timer.builder(name)
                .tag("workflow", workflow)
                .description(description)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
