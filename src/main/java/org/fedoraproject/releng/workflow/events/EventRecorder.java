package org.fedoraproject.releng.workflow.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.fedoraproject.releng.workflow.ansible.EventSink;
import org.fedoraproject.releng.workflow.log.SecretMasker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one run's events as the plugin sends them: masks every string (keys too) with the
 * run's secrets, caps each result at {@value #RESULT_CAP} bytes, numbers them, and writes them
 * in batches from a thread of its own, so that a slow database delays the plugin only once the
 * queue is full. A batch is what comes within {@value #FLUSH_MILLIS} ms of its first event: few
 * transactions while the playbook, which shares the machine's cores, runs. A crash loses at most
 * the last batch. The recap, the outputs and check mode are
 * picked up on the way; {@link #finish} closes the summary.
 */
public final class EventRecorder implements EventSink {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    static final int RESULT_CAP = 64 * 1024;
    static final int ITEM_CAP = 2000;
    static final int OUTPUTS_CAP = 64 * 1024;
    private static final int BATCH = 500;
    private static final long FLUSH_MILLIS = 1000;
    private static final int PROBLEMS_KEPT = 5;
    private static final RunEvent END = new RunEvent(
            0,
            0,
            "",
            Instant.EPOCH,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            false,
            false,
            null,
            null,
            null,
            null);

    private final long runId;
    private final RunEventStore store;
    private final SecretMasker masker;
    private final LongSupplier logLines;
    private final Clock clock;
    private final BlockingQueue<RunEvent> queue = new ArrayBlockingQueue<>(20_000);
    private final Set<String> problems = new LinkedHashSet<>();
    private final Thread writer;
    private volatile int moreProblems;
    private long base;
    private int seq;
    private volatile boolean dryRun;
    private volatile List<HostRecap> hosts = List.of();
    private volatile ObjectNode outputs;
    private volatile boolean closed;
    private volatile boolean orderly;
    private volatile int stored;
    /** Written by the writer only. */
    private boolean opened;

    public EventRecorder(long runId, RunEventStore store, List<String> secrets, LongSupplier logLines, Clock clock) {
        this.runId = runId;
        this.store = store;
        this.masker = new SecretMasker(secrets);
        this.logLines = logLines;
        this.clock = clock;
        this.writer = new Thread(this::write, "run-" + runId + "-event-writer");
        writer.setDaemon(true);
    }

    @Override
    public void starting() {
        base = logLines.getAsLong();
        // the summary row is opened by the writer, off the path that starts the playbook
        writer.start();
    }

    @Override
    public void event(ObjectNode raw) {
        JsonNode masked = mask(raw);
        ObjectNode e = (ObjectNode) masked;
        String type = e.path("type").asText();
        if (!RunEvent.TYPES.contains(type)) {
            problem("an event of unknown type `" + cut(type, 40) + "` was dropped");
            return;
        }
        JsonNode result = e.get("result");
        if (type.equals("playbook_on_start")) {
            // the writer records it with the run's summary, before the first batch
            dryRun = result != null && result.path("check").asBoolean(false);
        } else if (type.equals("playbook_on_stats") && result != null) {
            recap(result.path("hosts"));
            publish(raw.path("result").path("outputs"), result.path("outputs"));
        }
        Integer line = e.path("line").canConvertToInt() && e.path("line").asInt() > 0
                ? (int) (base + e.path("line").asInt())
                : null;
        RunEvent event = new RunEvent(
                runId,
                ++seq,
                type,
                at(e.path("at")),
                text(e, "play", 1000),
                text(e, "task", 1000),
                text(e, "taskId", 64),
                text(e, "taskPath", 2000),
                text(e, "role", 500),
                text(e, "host", 500),
                text(e, "action", 200),
                e.path("changed").asBoolean(false),
                e.path("failed").asBoolean(false),
                e.path("ignored").asBoolean(false),
                item(e.get("item")),
                e.path("durationMs").canConvertToLong() ? e.path("durationMs").asLong() : null,
                line,
                result == null || result.isNull() ? null : capped(result));
        try {
            queue.put(event);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            problem("recording was interrupted");
        }
    }

    @Override
    public synchronized void problem(String why) {
        if (problems.size() < PROBLEMS_KEPT) {
            problems.add(cut(why, 300));
        } else if (!problems.contains(why)) {
            moreProblems++;
        }
    }

    @Override
    public void closed(boolean orderly) {
        this.orderly = orderly;
        this.closed = true;
        queue.offer(END);
    }

    /**
     * After the playbook ended: waits for the last batch and closes the summary. What the run's
     * status and announcement say about hosts and outputs comes from here.
     */
    public RunSummary finish() throws InterruptedException {
        if (writer.getState() == Thread.State.NEW) {
            // the playbook never started: there are no events, and none are missing
            return new RunSummary(RunSummary.State.COMPLETE, null, 0, false, List.of(), null);
        }
        if (!closed) {
            queue.offer(END);
        }
        writer.join(TimeUnit.SECONDS.toMillis(30));
        RunSummary summary = summary(
                problems.isEmpty() && orderly && !writer.isAlive()
                        ? RunSummary.State.COMPLETE
                        : RunSummary.State.INCOMPLETE);
        store.save(runId, summary);
        return summary;
    }

    private synchronized RunSummary summary(RunSummary.State state) {
        String problem = null;
        if (state == RunSummary.State.INCOMPLETE) {
            List<String> why = new ArrayList<>(problems);
            if (why.isEmpty()) {
                why.add(writer.isAlive() ? "the events were still being written" : "the event stream ended early");
            }
            problem = String.join("; ", why) + (moreProblems > 0 ? " (and " + moreProblems + " more)" : "");
        }
        return new RunSummary(state, problem, stored, dryRun, hosts, outputs);
    }

    private void write() {
        List<RunEvent> batch = new ArrayList<>();
        boolean end = false;
        while (!end) {
            try {
                RunEvent first = queue.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end = true;
            }
            if (!batch.isEmpty() && batch.get(batch.size() - 1) == END) {
                batch.remove(batch.size() - 1);
                end = true;
            }
            if (!batch.isEmpty() || end) {
                open();
            }
            if (!batch.isEmpty()) {
                try {
                    store.append(batch);
                    stored += batch.size();
                } catch (RuntimeException e) {
                    log.warn("run {}: storing {} events failed: {}", runId, batch.size(), e.getMessage());
                    problem("storing " + batch.size() + " events failed: " + e.getMessage());
                }
                batch.clear();
            }
        }
    }

    /**
     * Opens the run's summary (state open, and check mode once the playbook's start said so) with
     * the first batch, not before: every transaction while the playbook runs takes CPU from it.
     */
    private void open() {
        if (opened) {
            return;
        }
        opened = true;
        try {
            store.open(runId);
            if (dryRun) {
                store.save(runId, summary(RunSummary.State.OPEN));
            }
        } catch (RuntimeException e) {
            log.warn("run {}: opening its events failed: {}", runId, e.getMessage());
            problem("opening the events failed: " + e.getMessage());
        }
    }

    /**
     * Adds what comes within {@value #FLUSH_MILLIS} ms of the batch's first event (up to {@value
     * #BATCH}, or the end): one transaction for a burst of events rather than one each, while the
     * playbook, which shares the machine, runs.
     */
    private void gather(List<RunEvent> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        queue.drainTo(batch, BATCH - batch.size());
        while (batch.size() < BATCH && batch.get(batch.size() - 1) != END) {
            long left = deadline - System.nanoTime();
            RunEvent next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, BATCH - batch.size());
        }
    }

    private void recap(JsonNode given) {
        List<HostRecap> recap = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            JsonNode s = h.getValue();
            recap.add(new HostRecap(
                    cut(h.getKey(), 500),
                    s.path("ok").asInt(),
                    s.path("changed").asInt(),
                    s.path("failed").asInt(),
                    s.path("unreachable").asInt(),
                    s.path("skipped").asInt(),
                    s.path("rescued").asInt(),
                    s.path("ignored").asInt()));
        }
        hosts = List.copyOf(recap);
    }

    /** Outputs are published: one that holds a secret (masking changed it) is left out, not masked. */
    private void publish(JsonNode raw, JsonNode masked) {
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> output = it.next();
            JsonNode value = masked.get(output.getKey());
            if (value == null || !value.equals(output.getValue())) {
                problem("output `" + masker.mask(cut(output.getKey(), 100)) + "` holds a secret and was left out");
            } else {
                kept.set(output.getKey(), value);
            }
        }
        if (kept.toString().length() > OUTPUTS_CAP) {
            problem("the outputs are larger than " + OUTPUTS_CAP / 1024 + " KiB and were left out");
            outputs = JsonNodeFactory.instance.objectNode();
        } else {
            outputs = kept;
        }
    }

    private JsonNode mask(JsonNode node) {
        if (masker.isEmpty()) {
            return node;
        }
        if (node.isTextual()) {
            String masked = masker.mask(node.asText());
            return masked.equals(node.asText()) ? node : TextNode.valueOf(masked);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> copy.set(masker.mask(f.getKey()), mask(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(mask(n)));
            return copy;
        }
        return node;
    }

    /** Masked first, capped after: a cut never leaves a piece of a secret that masking would not know. */
    private static String capped(JsonNode result) {
        String text = result.toString();
        if (text.length() <= RESULT_CAP) {
            return text;
        }
        ObjectNode marker = JsonNodeFactory.instance.objectNode();
        marker.put(
                "_truncated", "the result was " + text.length() + " characters; its first " + RESULT_CAP + " follow");
        marker.put("head", text.substring(0, RESULT_CAP));
        return marker.toString();
    }

    private static String item(JsonNode item) {
        if (item == null || item.isNull()) {
            return null;
        }
        return cut(item.isTextual() ? item.asText() : item.toString(), ITEM_CAP);
    }

    private Instant at(JsonNode at) {
        if (at.isNumber()) {
            double seconds = at.asDouble();
            return Instant.ofEpochSecond((long) seconds, (long) ((seconds - Math.floor(seconds)) * 1e9))
                    .truncatedTo(ChronoUnit.MICROS);
        }
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(ObjectNode e, String field, int size) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : cut(v.isTextual() ? v.asText() : v.toString(), size);
    }

    private static String cut(String s, int size) {
        return s.length() <= size ? s : s.substring(0, size);
    }
}
