package org.fedoraproject.releng.workflow;

import java.time.Clock;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.MessagingSettings;
import org.fedoraproject.releng.workflow.messaging.JdbcOutbox;
import org.fedoraproject.releng.workflow.messaging.Messaging;
import org.fedoraproject.releng.workflow.messaging.RunMessages;
import org.fedoraproject.releng.workflow.run.Links;

/** Announcing runs: the outbox the run repository writes to and the relays that deliver it. */
final class Bus implements AutoCloseable {

    final JdbcOutbox outbox;
    final Messaging messaging;

    Bus(MessagingSettings settings, Storage storage, Links links, Clock clock) {
        this.outbox = new JdbcOutbox(storage.database.jdbi(), storage.json);
        try {
            this.messaging = new Messaging(
                    settings,
                    outbox,
                    new RunMessages(links, storage.events::summary),
                    storage.catalog,
                    storage.metrics,
                    clock);
        } catch (IllegalArgumentException e) {
            // ConfigLoader has checked the settings; what is left fails only when tried (a port in use, a PEM file)
            throw new ConfigException(e.getMessage(), e);
        }
    }

    void start() {
        messaging.start();
    }

    @Override
    public void close() {
        messaging.close();
    }
}
