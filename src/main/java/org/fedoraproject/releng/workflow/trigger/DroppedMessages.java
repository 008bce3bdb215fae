package org.fedoraproject.releng.workflow.trigger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.fedoraproject.releng.workflow.run.CauseChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages refused before they could start anything, for a reason worth an operator's attention:
 * each is logged with its reason and counted in {@code releng_trigger_messages_dropped_total} by
 * bus and reason, so that forged traffic or a loop shows on a dashboard, not only in a log.
 */
public final class DroppedMessages {

    private static final Logger log = LoggerFactory.getLogger(DroppedMessages.class);
    private static final int MAX_LOGGED = 300;

    /** The {@code reason} label values. */
    public enum Reason {
        /** No {@code signature} or {@code certificate}. */
        UNSIGNED,
        /** The signature does not match what was received (changed after signing, another key, topic swapped). */
        BAD_SIGNATURE,
        /** The certificate does not chain to {@code caFile}, or is expired or not yet valid. */
        UNTRUSTED_CERTIFICATE,
        /** The certificate's name may not send on this topic ({@code routingPolicy}). */
        ROUTING_POLICY,
        /** The chain of runs started by announcements of runs is deeper than {@link CauseChain#MAX_DEPTH}. */
        LOOP;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry metrics;

    public DroppedMessages(MeterRegistry metrics) {
        this.metrics = metrics;
        // every series exists from start-up, at zero
        for (String bus : java.util.List.of("fedmsg", "amqp")) {
            counter("releng_trigger_messages_received", bus, "bus messages that reached the triggers, by bus");
            counter("releng_trigger_messages_matched", bus, "bus messages that matched at least one trigger, by bus");
            for (Reason reason : Reason.values()) {
                dropped(bus, reason);
            }
        }
    }

    /** A message passed the bus edge's checks and reached the triggers. */
    public void received(String bus) {
        counter("releng_trigger_messages_received", bus, null).increment();
    }

    /** A received message matched at least one workflow's trigger. */
    public void matched(String bus) {
        counter("releng_trigger_messages_matched", bus, null).increment();
    }

    private Counter counter(String name, String bus, String description) {
        return Counter.builder(name).tag("bus", bus).description(description).register(metrics);
    }

    private Counter dropped(String bus, Reason reason) {
        return Counter.builder("releng_trigger_messages_dropped")
                .tag("bus", bus)
                .tag("reason", reason.label())
                .description("bus messages refused before they could start a run, by reason")
                .register(metrics);
    }

    public void drop(String bus, Reason reason, String topic, String id, String detail) {
        dropped(bus, reason).increment();
        log.warn(
                "{} message {} on {} dropped ({}): {}",
                bus,
                printable(id),
                printable(topic),
                reason.label(),
                printable(detail));
    }

    /** Topics, ids and details come from the sender: one line, no control characters, bounded. */
    static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > MAX_LOGGED ? flat.substring(0, MAX_LOGGED) + "…" : flat;
    }
}
