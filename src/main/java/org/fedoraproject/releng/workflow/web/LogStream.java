package org.fedoraproject.releng.workflow.web;

import io.javalin.http.sse.SseClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a run's log over Server-Sent Events: one {@code message} event per line (its id is the
 * byte offset after the line, so a reconnecting EventSource resumes with Last-Event-ID), then a
 * {@code status} event with the final status, then the stream closes. Followers poll every tick,
 * and are also woken at once when a run executed on this node finishes, so that a client waiting
 * for the result (the CLI, Jenkins) is not kept waiting for the next tick.
 */
final class LogStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogStream.class);
    private static final long TICK_MILLIS = 200;
    private static final int MAX_BYTES_PER_TICK = 4 << 20;
    /**
     * How often a caught-up follower asks the database whether its run ended, when no wake-up
     * came: runs finishing on another node, or cancelled while queued, send none here.
     */
    private static final long STATUS_POLL_MILLIS = 1000;

    private final RunService runs;
    private final LogStore logs;
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "log-stream");
        t.setDaemon(true);
        return t;
    });

    private final Map<Long, Set<Follower>> followers = new ConcurrentHashMap<>();

    LogStream(RunService runs, LogStore logs) {
        this.runs = runs;
        this.logs = logs;
        runs.onFinish(this::wake);
    }

    /** The run's status changed to final: every follower of it looks now rather than at its next tick. */
    private void wake(long runId) {
        Set<Follower> set = followers.get(runId);
        if (set == null) {
            return;
        }
        for (Follower follower : set) {
            try {
                follower.nudged = true;
                ticker.execute(follower::tick);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    /** The run was already checked readable by the route's before-handler. */
    void follow(SseClient client, long runId, long start) {
        client.keepAlive();
        Follower follower = new Follower(client, runId, start);
        followers.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(follower);
        follower.future = ticker.scheduleWithFixedDelay(follower::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        client.onClose(follower::stop);
    }

    private final class Follower {
        private final SseClient client;
        private final long runId;
        private long position;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        volatile ScheduledFuture<?> future;
        volatile boolean nudged;
        private long lastStatusCheck;
        private boolean done;

        Follower(SseClient client, long runId, long start) {
            this.client = client;
            this.runId = runId;
            this.position = start;
        }

        /** Synchronized: a wake-up may run it beside the scheduled tick. */
        synchronized void tick() {
            if (done) {
                ScheduledFuture<?> f = future; // stopped before its schedule was recorded
                if (f != null) {
                    f.cancel(false);
                }
                return;
            }
            try {
                if (client.terminated()) {
                    stop();
                    return;
                }
                long size = logs.size(runId);
                if (size > position) {
                    send(Math.min(size, position + MAX_BYTES_PER_TICK));
                    if (position < size) {
                        return; // more to send first; the status can wait
                    }
                }
                long now = System.currentTimeMillis();
                if (!nudged && now - lastStatusCheck < STATUS_POLL_MILLIS) {
                    return;
                }
                nudged = false;
                lastStatusCheck = now;
                Run run = runs.find(runId);
                if (run.status().isFinal()) {
                    // the executor writes the last line before the status turns final: read what remains
                    send(logs.size(runId));
                    if (partial.size() > 0) {
                        client.sendEvent("message", partial.toString(StandardCharsets.UTF_8), Long.toString(position));
                        partial.reset();
                    }
                    client.sendEvent("status", Map.of("status", run.status().id(),
                            "exitCode", run.exitCode() == null ? "" : run.exitCode().toString()), Long.toString(position));
                    stop();
                    client.close();
                }
            } catch (RuntimeException | IOException e) {
                log.debug("log stream of run {} ended: {}", runId, e.getMessage());
                stop();
                client.close();
            }
        }

        private void send(long end) throws IOException {
            try (InputStream in = logs.read(runId, position, end)) {
                byte[] buffer = new byte[64 * 1024];
                long offset = position;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        offset++;
                        if (buffer[i] == '\n') {
                            client.sendEvent("message", partial.toString(StandardCharsets.UTF_8), Long.toString(offset));
                            partial.reset();
                        } else if (buffer[i] != '\r') {
                            partial.write(buffer[i]);
                        }
                    }
                }
                position = offset;
            }
        }

        synchronized void stop() {
            done = true;
            followers.computeIfPresent(runId, (id, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
