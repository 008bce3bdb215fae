package org.fedoraproject.releng.workflow.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code triggers} section of the configuration: where the engine listens for the messages
 * that workflows' {@code triggers} react to. Kept apart from {@code messaging} (what the engine
 * publishes) because the two often point at different places: fedmsg consumers connect to the
 * publishers' endpoints, and a consumer needs its own queue.
 */
public record TriggerSettings(Fedmsg fedmsg, Amqp amqp) {

    public static final String DEFAULT_QUEUE = "releng-workflow-triggers";

    /**
     * {@code endpoints}: fedmsg publishers or relays to connect a SUB socket to (tcp://host:9940).
     * With {@code validateSignatures}, only messages signed as fedmsg signs them by a certificate
     * from {@code caFile} start runs, and {@code routingPolicy} (full topic → certificate names)
     * says which certificate may send which topic; {@code routingNitpicky} refuses topics it does
     * not list. Off by default, so that existing deployments keep working (the engine warns).
     */
    public record Fedmsg(
            List<String> endpoints,
            Boolean validateSignatures,
            Path caFile,
            Map<String, List<String>> routingPolicy,
            Boolean routingNitpicky) {
        public Fedmsg {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
            validateSignatures = validateSignatures != null && validateSignatures;
            routingNitpicky = routingNitpicky != null && routingNitpicky;
            // not Map.copyOf: a null list (`topic:` with nothing after it) is for validated() to name
            routingPolicy = routingPolicy == null
                    ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(routingPolicy));
        }

        public Fedmsg(List<String> endpoints) {
            this(endpoints, null, null, null, null);
        }
    }

    /**
     * fedora-messaging: a durable {@code queue} on the broker at {@code url}, bound to
     * {@code exchange} with each trigger's topic as routing key.
     */
    public record Amqp(
            Boolean enabled, String url, String exchange, String queue, Path passwordFile, AmqpConfig.Tls tls) {
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
        validateSignatureSettings();
        if (amqp.enabled()) {
            try {
                amqp.connection().validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("messaging.amqp", "triggers.amqp"), e);
            }
        }
        return this;
    }

    private void validateSignatureSettings() {
        if (!fedmsg.validateSignatures()) {
            // settings that read as protection but would protect nothing
            String unused = fedmsg.caFile() != null
                    ? "caFile"
                    : !fedmsg.routingPolicy().isEmpty()
                            ? "routingPolicy"
                            : fedmsg.routingNitpicky() ? "routingNitpicky" : null;
            if (unused != null) {
                throw new IllegalArgumentException("triggers.fedmsg." + unused + " is set but validateSignatures is not"
                        + " true, so no signature would be checked; set triggers.fedmsg.validateSignatures: true");
            }
            return;
        }
        if (fedmsg.caFile() == null) {
            throw new IllegalArgumentException(
                    "triggers.fedmsg.validateSignatures is true but triggers.fedmsg.caFile is"
                            + " not set: give the PEM file of the CA that issues the fedmsg certificates"
                            + " (Fedora's: https://fedoraproject.org/fedmsg/ca.crt)");
        }
        for (Map.Entry<String, List<String>> entry : fedmsg.routingPolicy().entrySet()) {
            String key = "triggers.fedmsg.routingPolicy[" + entry.getKey() + "]";
            // (catalog.TopicPattern#isExact, spelled out: the configuration does not depend on the catalog)
            if (List.of(entry.getKey().split("\\.", -1)).stream().anyMatch(w -> w.equals("*") || w.equals("#"))) {
                throw new IllegalArgumentException(key + ": a full topic without wildcards, as fedmsg's routing_policy"
                        + " (e.g. org.fedoraproject.prod.bodhi.update.request.stable)");
            }
            if (entry.getValue() == null || entry.getValue().stream().anyMatch(n -> n == null || n.isBlank())) {
                throw new IllegalArgumentException(
                        key + ": a list of certificate names (CN), e.g. [bodhi-bodhi01.iad2." + "fedoraproject.org]");
            }
        }
    }
}
