package org.fedoraproject.releng.workflow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.config.TriggerSettings;
import org.fedoraproject.releng.workflow.messaging.IncomingMessages;
import org.fedoraproject.releng.workflow.messaging.amqp.AmqpTriggerConsumer;
import org.fedoraproject.releng.workflow.messaging.fedmsg.FedmsgSubscriber;
import org.fedoraproject.releng.workflow.trigger.DroppedMessages;
import org.fedoraproject.releng.workflow.trigger.FedmsgValidator;
import org.fedoraproject.releng.workflow.trigger.MessageTriggers;
import org.fedoraproject.releng.workflow.trigger.ScheduleTask;
import org.fedoraproject.releng.workflow.trigger.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What starts runs without a person: message triggers with their bus listeners, and schedules.
 * Built once the dispatcher runs the schedule task; nothing listens before {@link #start}.
 */
final class Triggers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Triggers.class);

    final Schedules schedules;
    private final MessageTriggers messageTriggers;
    private final List<AutoCloseable> listeners = new ArrayList<>();
    private final EngineConfig config;
    private final CatalogService catalog;
    private final Clock clock;

    Triggers(EngineConfig config, Storage storage, Runs runs, ScheduleTask scheduleTask, Clock clock) {
        this.config = config;
        this.catalog = storage.catalog;
        this.clock = clock;
        this.schedules = new Schedules(scheduleTask, runs.dispatch.scheduler());
        this.messageTriggers = new MessageTriggers(runs.service, new DroppedMessages(storage.metrics));
    }

    /** Listens on the configured buses and follows the catalog's triggers and schedules from now on. */
    void start() {
        listen(config.triggers());
        messageTriggers.sync(catalog.current());
        catalog.onReload(messageTriggers::sync);
        if (config.schedules().enabled()) {
            schedules.sync(catalog.current());
            catalog.onReload(schedules::sync);
        } else {
            log.info(
                    "schedules are disabled (schedules.enabled: false): no run starts by schedule on {}",
                    config.nodeName());
        }
    }

    /** Bus edges for message triggers: only where configured; each stays idle while no workflow needs it. */
    private void listen(TriggerSettings settings) {
        try {
            if (!settings.fedmsg().endpoints().isEmpty()) {
                IncomingMessages heard = fedmsgValidator(settings.fedmsg(), clock)
                        .<IncomingMessages>map(
                                validator -> validator.guarding(messageTriggers, messageTriggers.dropped()))
                        .orElse(messageTriggers);
                FedmsgSubscriber fedmsg = new FedmsgSubscriber(settings.fedmsg().endpoints(), heard);
                listeners.add(fedmsg);
                fedmsg.start();
            }
            if (settings.amqp().enabled()) {
                AmqpTriggerConsumer amqp = new AmqpTriggerConsumer(settings.amqp(), messageTriggers);
                listeners.add(amqp);
                amqp.start();
            }
        } catch (IllegalArgumentException e) {
            // ConfigLoader has checked the settings; what is left fails only when tried (an unreadable CA file)
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static Optional<FedmsgValidator> fedmsgValidator(TriggerSettings.Fedmsg settings, Clock clock) {
        if (!settings.validateSignatures()) {
            log.warn(
                    "fedmsg triggers accept UNSIGNED messages: anyone who can publish to {} (or to a relay feeding"
                            + " it) can start runs; set triggers.fedmsg.validateSignatures: true with caFile and routingPolicy",
                    settings.endpoints());
            return Optional.empty();
        }
        FedmsgValidator validator = FedmsgValidator.fromSettings(settings, clock);
        if (settings.routingPolicy().isEmpty() && !settings.routingNitpicky()) {
            log.warn(
                    "fedmsg triggers: triggers.fedmsg.routingPolicy is empty, so every certificate from {} may send"
                            + " every topic",
                    settings.caFile());
        }
        log.info(
                "fedmsg triggers check signatures against {} ({} topics in the routing policy{})",
                settings.caFile(),
                settings.routingPolicy().size(),
                settings.routingNitpicky() ? ", nitpicky" : "");
        return Optional.of(validator);
    }

    /** No new runs from the buses while the rest stops; unacknowledged AMQP messages stay queued. */
    @Override
    public void close() {
        for (AutoCloseable listener : listeners) {
            try {
                listener.close();
            } catch (Exception e) {
                log.warn("stopping a message trigger listener failed", e);
            }
        }
        listeners.clear();
    }
}
