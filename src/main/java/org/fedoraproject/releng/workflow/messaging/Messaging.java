package org.fedoraproject.releng.workflow.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.config.MessagingSettings;
import org.fedoraproject.releng.workflow.messaging.amqp.AmqpPublisher;
import org.fedoraproject.releng.workflow.messaging.fedmsg.ZmqFedmsgPublisher;
import org.fedoraproject.releng.workflow.run.Announcement;
import org.fedoraproject.releng.workflow.run.CauseChain;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunAnnouncer;
import org.fedoraproject.releng.workflow.run.TriggerMessage;

/**
 * Announces runs on the buses. Every status change that starts or ends a run has its message
 * written to the outbox inside the change's own transaction (by the run repository); a relay per
 * enabled bus then delivers the outbox in order, woken when the change commits. With no bus
 * enabled nothing is written.
 */
public final class Messaging implements RunAnnouncer, AutoCloseable {

    public static final String FEDMSG = "fedmsg";
    public static final String AMQP = "amqp";

    private final Outbox outbox;
    private final RunMessages messages;
    private final CatalogService catalog;
    private final Clock clock;
    private final List<OutboxRelay> relays = new ArrayList<>();

    public Messaging(
            MessagingSettings settings,
            Outbox outbox,
            RunMessages messages,
            CatalogService catalog,
            MeterRegistry metrics,
            Clock clock) {
        this.outbox = outbox;
        this.messages = messages;
        this.catalog = catalog;
        this.clock = clock;
        if (settings.fedmsg().enabled()) {
            relays.add(new OutboxRelay(FEDMSG, new ZmqFedmsgPublisher(settings.fedmsg()), outbox, true, metrics));
        }
        if (settings.amqp().enabled()) {
            relays.add(new OutboxRelay(AMQP, new AmqpPublisher(settings.amqp()), outbox, false, metrics));
        }
    }

    public void start() {
        relays.forEach(OutboxRelay::start);
    }

    public List<String> buses() {
        return relays.stream().map(OutboxRelay::bus).toList();
    }

    @Override
    public List<Announcement> announce(Run after, Supplier<Optional<TriggerMessage>> startedBy) {
        if (relays.isEmpty()) {
            return List.of();
        }
        // only a run a message started can be deep in a chain; the others need no look-up
        int causeDepth = "message".equals(after.cause().type()) ? CauseChain.depthOf(startedBy.get()) : 0;
        return messages.forTransition(after, catalog.lastKnownGood(after.workflowId()), causeDepth, clock.instant())
                .map(m -> List.of(new Announcement(m.id(), m.topic(), m.body(), m.createdAt(), m.users())))
                .orElse(List.of());
    }

    @Override
    public void committed(Run run) {
        relays.forEach(OutboxRelay::wake);
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
