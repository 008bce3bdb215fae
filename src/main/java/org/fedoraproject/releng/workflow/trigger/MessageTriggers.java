package org.fedoraproject.releng.workflow.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedoraproject.releng.workflow.EngineException;
import org.fedoraproject.releng.workflow.catalog.Catalog;
import org.fedoraproject.releng.workflow.catalog.MessageFilter;
import org.fedoraproject.releng.workflow.catalog.TopicPattern;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.messaging.IncomingMessages;
import org.fedoraproject.releng.workflow.run.CauseChain;
import org.fedoraproject.releng.workflow.run.DuplicateMessageException;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.run.RunSkippedException;
import org.fedoraproject.releng.workflow.run.RunThrottledException;
import org.fedoraproject.releng.workflow.run.TriggerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which workflows a bus message starts, whatever bus it came from: a trigger matches
 * when its bus and topic pattern match and its filter holds on the message. Duplicates and the
 * throttle are checked where the run is stored ({@link RunService#triggerByMessage}), so they
 * hold across engine nodes too.
 */
public final class MessageTriggers implements IncomingMessages {

    private static final Logger log = LoggerFactory.getLogger(MessageTriggers.class);
    /** {@code run_message.message_id}'s width. */
    private static final int MAX_ID = 200;

    private record Armed(String workflowId, String bus, TopicPattern topic, MessageFilter filter, Duration throttle) {}

    private final RunService runs;
    private final DroppedMessages dropped;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile List<Armed> armed = List.of();

    public MessageTriggers(RunService runs, DroppedMessages dropped) {
        this.runs = runs;
        this.dropped = dropped;
    }

    /** Where bus edges report the messages they refuse (unsigned, forged …). */
    public DroppedMessages dropped() {
        return dropped;
    }

    /** Takes the triggers of the catalog's valid workflows; then tells the buses to re-subscribe. */
    public void sync(Catalog catalog) {
        List<Armed> next = new ArrayList<>();
        for (WorkflowDefinition w : catalog.workflows()) {
            for (WorkflowDefinition.Trigger t : w.triggers()) {
                // the loader has checked the filter: a definition with a bad one is broken, not here
                next.add(new Armed(
                        w.id(),
                        t.bus(),
                        new TopicPattern(t.topic()),
                        MessageFilter.parseOrAll(t.filter()),
                        t.throttle()));
            }
        }
        armed = List.copyOf(next);
        log.info(
                "message triggers: {}",
                next.isEmpty()
                        ? "none"
                        : next.stream()
                                .map(a -> a.workflowId() + " on " + a.bus() + " "
                                        + a.topic().text())
                                .toList());
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("re-subscribing after a catalog change failed", e);
            }
        }
    }

    /** Called after every {@link #sync}, so that a bus edge can change its subscriptions. */
    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The topic patterns the workflows listen to on {@code bus}. */
    @Override
    public Set<String> topics(String bus) {
        Set<String> topics = new TreeSet<>();
        for (Armed a : armed) {
            if (a.bus().equals(bus)) {
                topics.add(a.topic().text());
            }
        }
        return topics;
    }

    /**
     * Starts a run of every workflow this message triggers and returns them. A duplicate, a
     * throttled or a skipped run starts nothing and is only logged; a message that would make a
     * chain of runs too deep ({@link CauseChain}) starts nothing and is counted as dropped;
     * anything else (the database is unreachable, say) throws, so that a bus that can redeliver
     * does.
     */
    @Override
    public void receive(Message m) {
        handle(m);
    }

    public List<Run> handle(Message m) {
        dropped.received(m.bus());
        Map<String, Armed> matching = new LinkedHashMap<>();
        for (Armed a : armed) {
            if (a.bus().equals(m.bus())
                    && a.topic().matches(m.topic())
                    && a.filter().matches(m.root())) {
                // two triggers of one workflow matching one message start it once
                matching.putIfAbsent(a.workflowId(), a);
            }
        }
        if (matching.isEmpty()) {
            log.debug("{} message {} {}: no trigger matches", m.bus(), m.topic(), m.id());
            return List.of();
        }
        dropped.matched(m.bus());
        // an id too long to store is as good as none
        String id = m.id() == null || m.id().isBlank() || m.id().length() > MAX_ID ? contentId(m) : m.id();
        int depth = CauseChain.depthOf(m.topic(), m.body());
        if (CauseChain.tooDeep(depth)) {
            dropped.drop(
                    m.bus(),
                    DroppedMessages.Reason.LOOP,
                    m.topic(),
                    id,
                    "the run it announces is "
                            + (depth - 1) + " deep in a chain of runs started by run announcements (limit "
                            + CauseChain.MAX_DEPTH + "); not starting " + String.join(", ", matching.keySet()));
            return List.of();
        }
        TriggerMessage message = new TriggerMessage(m.bus(), m.topic(), id, m.body());
        List<Run> started = new ArrayList<>();
        for (Armed a : matching.values()) {
            try {
                Run run = runs.triggerByMessage(a.workflowId(), message, a.throttle());
                log.info("{} message {} {} started {}", m.bus(), m.topic(), id, run.displayName());
                started.add(run);
            } catch (DuplicateMessageException e) {
                log.info("{} message {} {}: duplicate, {} already ran for it", m.bus(), m.topic(), id, a.workflowId());
            } catch (RunThrottledException e) {
                log.info("{} message {} {} throttled: {}", m.bus(), m.topic(), id, e.getMessage());
            } catch (RunSkippedException e) {
                log.info("{} message {} {} skipped: {}", m.bus(), m.topic(), id, e.getMessage());
            } catch (EngineException e) {
                // the workflow went away or broke since the last sync; redelivering will not help
                log.warn(
                        "{} message {} {} cannot start {}: {}", m.bus(), m.topic(), id, a.workflowId(), e.getMessage());
            }
        }
        return started;
    }

    /**
     * A message without a usable id still needs one to be recognized when it comes again: a digest of
     * its topic and body, the same on every delivery.
     */
    static String contentId(Message m) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(m.topic().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(m.body()).getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(sha.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
