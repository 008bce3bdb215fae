package org.fedoraproject.releng.workflow.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.config.AmqpConfig;
import org.fedoraproject.releng.workflow.messaging.amqp.AmqpPublisher;
import org.fedoraproject.releng.workflow.config.FedmsgConfig;
import org.fedoraproject.releng.workflow.config.MessagingSettings;
import org.fedoraproject.releng.workflow.messaging.fedmsg.ZmqFedmsgPublisher;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.CauseChain;
import org.jdbi.v3.core.Handle;

/**
 * Announces runs on the buses. Every status change that starts or ends a run writes its message
 * to the outbox inside the change's own transaction; a relay per enabled bus then delivers the
 * outbox in order. With no bus enabled nothing is written.
 */
public final class Messaging implements JdbcRunRepository.TransitionHook, AutoCloseable {

    public static final String FEDMSG = "fedmsg";
    public static final String AMQP = "amqp";
    /**
     * {@code /metrics} is anonymous: series of workflows that are not public (restricted, or with
     * no definition known) are counted together under this label, which no workflow id can be.
     */
    public static final String HIDDEN_WORKFLOW = "(restricted)";
    private static final String RUNS_FINISHED = "releng_runs_finished";
    private static final String WORKFLOW = "workflow";

    private final JdbcOutbox outbox;
    private final RunMessages messages;
    private final CatalogService catalog;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final List<OutboxRelay> relays = new ArrayList<>();

    public Messaging(MessagingSettings settings, JdbcOutbox outbox, RunMessages messages, CatalogService catalog,
            MeterRegistry metrics, Clock clock) {
        this.outbox = outbox;
        this.messages = messages;
        this.catalog = catalog;
        this.clock = clock;
        this.metrics = metrics;
        if (settings.fedmsg().enabled()) {
            relays.add(new OutboxRelay(FEDMSG, new ZmqFedmsgPublisher(settings.fedmsg()), outbox, true, metrics));
        }
        if (settings.amqp().enabled()) {
            relays.add(new OutboxRelay(AMQP, new AmqpPublisher(settings.amqp()), outbox, false, metrics));
        }
        catalog.onReload(c -> dropHiddenSeries());
    }

    private String workflowLabel(String workflowId) {
        boolean shown = catalog.lastKnownGood(workflowId).map(w -> !w.isRestricted()).orElse(false);
        return shown ? workflowId : HIDDEN_WORKFLOW;
    }

    /** A workflow that became restricted takes its name out of the series it had while public. */
    private void dropHiddenSeries() {
        for (Counter counter : metrics.find(RUNS_FINISHED).counters()) {
            String workflow = counter.getId().getTag(WORKFLOW);
            if (workflow != null && !workflow.equals(workflowLabel(workflow))) {
                metrics.remove(counter);
            }
        }
    }

    public void start() {
        relays.forEach(OutboxRelay::start);
    }

    public List<String> buses() {
        return relays.stream().map(OutboxRelay::bus).toList();
    }

    @Override
    public void afterTransition(Handle handle, Run run) {
        if (run.status().isFinal()) {
            Counter.builder(RUNS_FINISHED).tag(WORKFLOW, workflowLabel(run.workflowId())).tag("status", run.status().id())
                    .description("runs that ended, by final status").register(metrics).increment();
        }
        if (relays.isEmpty()) {
            return;
        }
        messages.forTransition(run, catalog.lastKnownGood(run.workflowId()), causeDepth(handle, run), clock.instant())
                .ifPresent(m -> outbox.insert(handle, run.id(), m));
        relays.forEach(OutboxRelay::wake);
    }

    /** Only a run a message started can be deep in a chain; the others need no look-up. */
    private static int causeDepth(Handle handle, Run run) {
        if (!"message".equals(run.cause().type())) {
            return 0;
        }
        return CauseChain.depthOf(JdbcRunRepository.message(handle, run.id()));
    }

    /** The messages a run produced, with whether each bus has had each (for the run page). */
    public List<Map<String, Object>> messagesOf(long runId) {
        return relays.isEmpty() ? List.of() : outbox.forRun(runId, buses());
    }

    @Override
    public void close() {
        relays.forEach(OutboxRelay::close);
    }
}
