package org.fedoraproject.releng.workflow.trigger;

import java.nio.file.Path;
import java.util.List;
import org.fedoraproject.releng.workflow.messaging.amqp.AmqpConfig;

/**
 * The {@code triggers} section of the configuration: where the engine listens for the messages
 * that workflows' {@code triggers} react to. Kept apart from {@code messaging} (what the engine
 * publishes) because the two often point at different places: fedmsg consumers connect to the
 * publishers' endpoints, and a consumer needs its own queue.
 */
public record TriggerSettings(Fedmsg fedmsg, Amqp amqp) {

    public static final String DEFAULT_QUEUE = "releng-workflow-triggers";

    /** {@code endpoints}: fedmsg publishers or relays to connect a SUB socket to (tcp://host:9940). */
    public record Fedmsg(List<String> endpoints) {
        public Fedmsg {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }

    /**
     * fedora-messaging: a durable {@code queue} on the broker at {@code url}, bound to
     * {@code exchange} with each trigger's topic as routing key.
     */
    public record Amqp(Boolean enabled, String url, String exchange, String queue, Path passwordFile,
            AmqpConfig.Tls tls) {
        public Amqp {
            enabled = enabled != null && enabled;
            url = url == null || url.isBlank() ? AmqpConfig.DEFAULT_URL : url;
            exchange = exchange == null || exchange.isBlank() ? AmqpConfig.DEFAULT_EXCHANGE : exchange;
            queue = queue == null || queue.isBlank() ? DEFAULT_QUEUE : queue;
        }

        /** The connection settings in the publisher's terms, so both connect the same way. */
        public AmqpConfig connection() {
            return new AmqpConfig(true, url, exchange, null, null, passwordFile, tls);
        }
    }

    public TriggerSettings {
        fedmsg = fedmsg == null ? new Fedmsg(null) : fedmsg;
        amqp = amqp == null ? new Amqp(null, null, null, null, null, null) : amqp;
    }

    public static TriggerSettings off() {
        return new TriggerSettings(null, null);
    }

    /** Checks what start-up needs; the message names the key to fix. */
    public TriggerSettings validated() {
        for (int i = 0; i < fedmsg.endpoints().size(); i++) {
            String endpoint = fedmsg.endpoints().get(i);
            if (endpoint == null || !endpoint.matches("(tcp|ipc)://\\S+")) {
                throw new IllegalArgumentException("triggers.fedmsg.endpoints[" + i + "]: `" + endpoint
                        + "` is not a ZeroMQ endpoint such as tcp://hub.fedoraproject.org:9940");
            }
        }
        if (amqp.enabled()) {
            try {
                amqp.connection().validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("messaging.amqp", "triggers.amqp"), e);
            }
        }
        return this;
    }
}
