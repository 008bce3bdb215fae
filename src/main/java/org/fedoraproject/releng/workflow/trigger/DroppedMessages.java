package org.fedoraproject.releng.workflow.trigger;

import org.fedoraproject.releng.workflow.run.CauseChain;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
    }

    public void drop(String bus, Reason reason, String topic, String id, String detail) {
        Counter.builder("releng_trigger_messages_dropped").tag("bus", bus).tag("reason", reason.label())
                .description("bus messages refused before they could start a run, by reason")
                .register(metrics).increment();
        log.warn("{} message {} on {} dropped ({}): {}", bus, printable(id), printable(topic), reason.label(),
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
