package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.fedoraproject.releng.workflow.config.Durations;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a run's log over Server-Sent Events: one {@code message} event per line (its id is the
 * byte offset after the line, so a reconnecting EventSource resumes with Last-Event-ID), then one
 * {@code status} event with the final status ({@code "final": true}), then the stream closes: the
 * contract the first clients rely on. A follower that asks for {@code ?transitions=true} (a page
 * does) also gets a {@code status} event once it has caught up and at every change
 * ({@code "final": false}). With {@code ?batch=true} (which implies transitions) the lines come as
 * {@code lines} events instead,
 * each holding many lines (one {@code data} line each; the id is the offset after the last), so
 * that a browser is not handed hundreds of thousands of events in a burst. Followers poll every tick, and are also woken at once when a change of their
 * run commits on this node, so that a page's badge or a client waiting for the result (the CLI,
 * Jenkins) is not kept waiting for the next poll.
 *
 * <p>Anyone who may read a run may follow it, so no follower may slow another: writes never block
 * (see {@link ClientOutput}), a follower holds at most one chunk of frames unsent, and one whose
 * client takes nothing for the write timeout is dropped; it can resume with Last-Event-ID.
 */
final class LogStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK_MILLIS = 200;
    /** Sent to one follower in one tick at most, so that a fast client does not starve the others. */
    private static final int MAX_BYTES_PER_TICK = 4 << 20;
    /** How much of the log becomes one write: the most a follower holds unsent, beyond the socket's buffers. */
    private static final int CHUNK = 64 * 1024;
    /** A quiet stream sends a comment this often: a client that went away is noticed, proxies keep it open. */
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);
    /**
     * How often a caught-up follower asks the database whether its run ended, when no wake-up
     * came: runs finishing on another node, or cancelled while queued, send none here.
     */
    private static final long STATUS_POLL_MILLIS = 1000;

    /** What a stream asks of the runs: the run as stored now, and word when one changes or ends on this node. */
    interface FollowedRuns {
        Run find(long runId);

        void onFinish(LongConsumer listener);

        void onTransition(Consumer<Run> listener);

        static FollowedRuns of(RunService runs) {
            return new FollowedRuns() {
                @Override
                public Run find(long runId) {
                    return runs.find(runId);
                }

                @Override
                public void onFinish(LongConsumer listener) {
                    runs.onFinish(listener);
                }

                @Override
                public void onTransition(Consumer<Run> listener) {
                    runs.onTransition(listener::accept);
                }
            };
        }
    }

    private final FollowedRuns runs;
    private final LogStore logs;
    private final Duration writeTimeout;
    /** Paces the status polls only; the write timeout and heartbeats keep to System.nanoTime. */
    private final Clock clock;

    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "log-stream");
        t.setDaemon(true);
        return t;
    });

    private final Map<Long, Set<Follower>> followers = new ConcurrentHashMap<>();

    LogStream(RunService runs, LogStore logs, Duration writeTimeout) {
        this(FollowedRuns.of(runs), logs, writeTimeout, Clock.systemUTC());
    }

    /** With the runs and the poll clock as seams, so that the follow loop can be tested without an engine. */
    LogStream(FollowedRuns runs, LogStore logs, Duration writeTimeout, Clock clock) {
        this.runs = runs;
        this.logs = logs;
        this.writeTimeout = writeTimeout;
        this.clock = clock;
        runs.onFinish(this::wake);
        runs.onTransition(this::changed);
    }

    /**
     * Where a stream starts: the {@code Last-Event-ID} of a reconnecting client, else {@code ?start=},
     * else 0. Checked before the stream's response is committed, so a bad value gets a 400.
     */
    static long startOf(Context ctx) {
        String resume = ctx.header("Last-Event-ID");
        if (resume != null && !resume.isEmpty()) {
            return offset(resume, "Last-Event-ID must be an event id of this stream (a byte offset, 0 or more)");
        }
        String start = ctx.queryParam("start");
        return start == null ? 0 : offset(start, "start must be a byte offset, 0 or more");
    }

    private static long offset(String text, String error) {
        try {
            long offset = Long.parseLong(text);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // the same answer as a negative number
        }
        throw new HttpErrors.BadRequest(error);
    }

    /** The run's status changed to final: every follower of it looks now rather than at its next tick. */
    private void wake(long runId) {
        Set<Follower> set = followers.get(runId);
        if (set == null) {
            return;
        }
        for (Follower follower : set) {
            follower.nudged = true;
            follower.wake();
        }
    }

    /** A change of the run committed on this node: its followers send it without asking the database. */
    private void changed(Run run) {
        Set<Follower> set = followers.get(run.id());
        if (set == null) {
            return;
        }
        for (Follower follower : set) {
            // a late "running" must not replace the final status it raced with
            follower.pushed.accumulateAndGet(
                    run, (old, now) -> old != null && old.status().isFinal() ? old : now);
            follower.wake();
        }
    }

    /** The run was already checked readable, and {@code start} valid, by the route's before-handler. */
    void follow(SseClient client, long runId, long start) {
        client.keepAlive();
        Follower follower = new Follower(client, runId, start);
        followers.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(follower);
        client.onClose(follower::stop);
        follower.start();
    }

    private final class Follower {
        private final SseClient client;
        private final long runId;
        private final String peer;
        private final LineFramer framer;
        private ClientOutput output;
        private long sent;
        private long lastWrite = System.nanoTime();
        volatile ScheduledFuture<?> future;
        volatile boolean nudged;
        private long lastStatusCheck;
        /** The newest change committed on this node that this follower has not looked at. */
        final AtomicReference<Run> pushed = new AtomicReference<>();
        /** The status last sent to the client; null until the first. */
        private RunStatus sentStatus;
        /** Whether the client asked for a status event at every change, not only the final one. */
        private final boolean transitions;
        /** The final status, once seen: what remains of the log goes out, then this. */
        private Run finished;

        private boolean closing;
        private boolean done;

        Follower(SseClient client, long runId, long start) {
            this.client = client;
            this.runId = runId;
            // a page asks for lines in batches: a browser spends more on each event than on each line
            boolean batch = "true".equals(client.ctx().queryParam("batch"));
            this.framer = batch ? LineFramer.batched(start) : new LineFramer(start);
            // a client that stops at the first status event (as the first ones do) must not see "running"
            this.transitions = batch || "true".equals(client.ctx().queryParam("transitions"));
            this.peer = client.ctx().req().getRemoteAddr() + ":"
                    + client.ctx().req().getRemotePort();
        }

        synchronized void start() {
            try {
                output = new ClientOutput(client.ctx().req(), client.ctx().res(), this::wake);
            } catch (IOException | RuntimeException e) {
                end(false, "could not start: " + e.getMessage());
                return;
            }
            future = ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            wake();
        }

        /** Looks now: the client can take more, its connection failed, or the run ended. */
        void wake() {
            try {
                ticker.execute(this::tick);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }

        /** Synchronized: wake-ups run it beside the scheduled tick. Never blocks on the client. */
        synchronized void tick() {
            if (done || output == null) {
                cancelTicks();
                return;
            }
            try {
                if (client.terminated()) {
                    stop();
                    return;
                }
                if (output.failure() != null) {
                    end(false, "the client went away (" + describe(output.failure()) + ")");
                    return;
                }
                long now = System.nanoTime();
                if (!output.ready(now)) {
                    if (output.blockedNanos(now) > writeTimeout.toNanos()) {
                        end(
                                true,
                                "dropped: the client took nothing for " + Durations.format(writeTimeout) + " (" + sent
                                        + " bytes sent; it may resume with Last-Event-ID)");
                    }
                    return;
                }
                if (closing) {
                    stop();
                    client.close();
                    return;
                }
                if (!sendAvailable(now)) {
                    return; // the client takes what was sent first; the status can wait
                }
                if (finished == null) {
                    Run current = currentStatus();
                    if (current != null && current.status().isFinal()) {
                        finished = current;
                        if (!sendAvailable(now)) {
                            return; // the executor wrote the last lines before the status turned final
                        }
                    } else if (transitions && current != null && current.status() != sentStatus) {
                        sendStatus(current, now);
                    }
                }
                if (finished != null) {
                    sendEnd(now);
                } else if (now - lastWrite > HEARTBEAT_NANOS) {
                    send(EventFrames.HEARTBEAT, now);
                    if (output.ready(now)) {
                        output.flush();
                    }
                }
            } catch (IOException e) {
                end(false, "the client went away (" + describe(e) + ")");
            } catch (RuntimeException e) {
                end(false, "failed: " + describe(e));
            }
        }

        /** Sends the log from where the framer is; true when all of it is out and the client can take more. */
        private boolean sendAvailable(long now) throws IOException {
            long size = logs.size(runId);
            long budget = MAX_BYTES_PER_TICK;
            boolean wrote = false;
            while (framer.position() < size && budget > 0 && output.ready(now)) {
                long end = Math.min(size, framer.position() + CHUNK);
                budget -= end - framer.position();
                byte[] frames = frames(end);
                if (frames.length > 0) {
                    send(frames, now);
                    wrote = true;
                }
            }
            if (wrote && output.ready(now)) {
                output.flush();
            }
            return framer.position() >= size && output.ready(now);
        }

        /**
         * The run as a change on this node told it, else as stored (asked at most once a second
         * unless woken: changes on other nodes send no word here); null when neither is due.
         */
        private Run currentStatus() {
            Run told = pushed.getAndSet(null);
            long millis = clock.millis();
            if (!nudged && millis - lastStatusCheck < STATUS_POLL_MILLIS) {
                return told;
            }
            nudged = false;
            lastStatusCheck = millis;
            return runs.find(runId);
        }

        private void sendStatus(Run run, long now) throws IOException {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            EventFrames.append(frames, "status", framer.position(), statusJson(run));
            send(frames.toByteArray(), now);
            sentStatus = run.status();
            if (output.ready(now)) {
                output.flush();
            }
        }

        /** The unfinished last line, the status event, and then the stream closes once they are out. */
        private void sendEnd(long now) throws IOException {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            framer.finish(frames);
            EventFrames.append(frames, "status", framer.position(), statusJson(finished));
            send(frames.toByteArray(), now);
            closing = true;
            if (output.ready(now)) {
                output.flush();
            }
            wake(); // closes once the client has taken the end
        }

        private void send(byte[] bytes, long now) throws IOException {
            output.write(bytes);
            sent += bytes.length;
            lastWrite = now;
        }

        /** Frames the log's lines from the framer's position up to {@code end}. */
        private byte[] frames(long end) throws IOException {
            byte[] bytes;
            try (InputStream in = logs.read(runId, framer.position(), end)) {
                bytes = in.readAllBytes();
            }
            ByteArrayOutputStream frames = new ByteArrayOutputStream(CHUNK + CHUNK / 2);
            framer.frame(bytes, frames, CHUNK);
            return frames.toByteArray();
        }

        /** Ends the stream with one log line: the only one about this follower, however it ended. */
        private void end(boolean drop, String why) {
            if (done) {
                return;
            }
            if (drop) {
                log.info("log stream of run {} to {} {}", runId, peer, why);
            } else {
                log.debug("log stream of run {} to {} ended: {}", runId, peer, why);
            }
            stop();
            if (drop && output != null) {
                try {
                    output.abort(why);
                } catch (RuntimeException e) {
                    log.debug("log stream of run {} to {}: abort failed: {}", runId, peer, describe(e));
                }
            }
            client.close();
        }

        synchronized void stop() {
            done = true;
            followers.computeIfPresent(runId, (id, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
            cancelTicks();
        }

        private void cancelTicks() {
            ScheduledFuture<?> f = future; // may be stopped before its schedule was recorded
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /**
     * A status event's data: {@code exitCode} stays a string ("" for none) as the first clients
     * read it; the times let a page update its facts without asking for the run.
     */
    static String statusJson(Run run) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", run.status().id());
        status.put("exitCode", run.exitCode() == null ? "" : run.exitCode().toString());
        status.put("final", run.status().isFinal());
        status.put("startedAt", run.startedAt() == null ? null : run.startedAt().toString());
        status.put(
                "finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        try {
            return JSON.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
