package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * How deep a run sits in a chain of runs started by announcements of runs: 0 for a run started
 * by hand, by schedule or by a message that is not about a run (Koji, Bodhi …); one more than the
 * announced run for a run started by an engine's {@code releng.workflow.*} message. Every
 * announcement carries its run's depth as {@code cause_depth}, so the count survives the trip
 * through the bus, and a run deeper than {@link #MAX_DEPTH} is not started.
 *
 * <p>This is a safety net against accidental loops (a workflow triggered by its own completion,
 * two workflows or two engines triggering each other), not a defence: whoever can publish can
 * write any {@code cause_depth}, and only signature checks keep such senders out.
 */
public final class CauseChain {

    /** Runs in one chain after its first: with 5, a self-triggering workflow runs 6 times in all. */
    public static final int MAX_DEPTH = 5;

    /** The body field of {@code releng.workflow.*} messages holding the announced run's depth. */
    public static final String FIELD = "cause_depth";

    private CauseChain() {}

    /** The depth of a run started by the message with this topic and body. */
    public static int depthOf(String topic, JsonNode body) {
        JsonNode announced = body == null ? null : body.get(FIELD);
        if (announced != null
                && announced.isIntegralNumber()
                && announced.canConvertToInt()
                && announced.intValue() >= 0) {
            return announced.intValue() == Integer.MAX_VALUE ? Integer.MAX_VALUE : announced.intValue() + 1;
        }
        // an announcement without the field (an older engine, or an edited copy): at least one hop
        if (topic != null && topic.contains(".releng.workflow.") && body != null && body.has("run_id")) {
            return 1;
        }
        return 0;
    }

    /** The depth of a run, from the message that started it, if any. */
    public static int depthOf(Optional<TriggerMessage> startedBy) {
        return startedBy.map(m -> depthOf(m.topic(), m.body())).orElse(0);
    }

    public static boolean tooDeep(int depth) {
        return depth > MAX_DEPTH;
    }
}
