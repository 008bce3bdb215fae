package org.fedoraproject.releng.workflow.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Clock;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.run.RunObserver;
import org.jdbi.v3.core.Jdbi;

/**
 * What {@code /metrics} shows besides the bus and trigger counters their own classes keep: runs
 * (gauges, counters, histograms), HTTP requests and the JVM. Every run series is registered for
 * each workflow at start and again on each catalog reload, so a scrape right after start-up
 * shows every family.
 */
public final class EngineMetrics implements AutoCloseable {

    private final RunMetrics runs;
    private final ActiveRunGauges active;
    private final HttpMetrics http;
    private final LockWaitGauge lockWaits;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public EngineMetrics(MeterRegistry registry, CatalogService catalog, Jdbi jdbi, Clock clock) {
        WorkflowLabels labels = new WorkflowLabels(catalog);
        this.runs = new RunMetrics(labels, registry);
        this.active = new ActiveRunGauges(new JdbcActiveRunCounts(jdbi), labels, registry, clock);
        this.http = new HttpMetrics(registry);
        this.lockWaits = new LockWaitGauge(jdbi, clock).register(registry);
        register();
        catalog.onReload(c -> register());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private synchronized void register() {
        runs.register();
        active.register();
    }

    /** Counts each committed run change. */
    public RunObserver runObserver() {
        return runs;
    }

    public HttpMetrics http() {
        return http;
    }

    @Override
    public void close() {
        gc.close();
    }
}
