package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.log.FileLogStore;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.fedoraproject.releng.workflow.testsupport.EventStream;
import org.fedoraproject.releng.workflow.testsupport.EventStream.Event;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow loop of the live log on its own: a real Jetty and file log, runs whose status the
 * test sets, no engine and no playbook. Slow and stalled clients are in LiveLogsCannotBeStalledTest.
 */
class LogStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final StatusBoard runs = new StatusBoard();
    private FileLogStore logs;
    private LogStream stream;
    private Javalin app;

    @BeforeEach
    void serve() {
        logs = new FileLogStore(dir);
        stream = new LogStream(runs, logs, Duration.ofSeconds(10), Clock.systemUTC());
        // the route reads the field, so that a test can swap in a stream with its own clock
        app = Javalin.create(config -> config.showJavalinBanner = false)
                .sse(
                        "/runs/{id}/log",
                        client -> stream.follow(
                                client, Long.parseLong(client.ctx().pathParam("id")), LogStream.startOf(client.ctx())))
                .start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
        stream.close();
    }

    @Test
    void followsTheLogAsItGrowsThenSendsTheFinalStatusAndCloses() {
        runs.set(1, RunStatus.RUNNING, null);
        write(1, "one\ntwo\n");
        try (EventStream events = open(1, "?transitions=true", Map.of())) {
            await().atMost(WAIT).until(() -> events.lines().size() == 2);
            write(1, "three\n");
            await().atMost(WAIT).until(() -> events.lines().size() == 3);
            assertThat(events.ended()).isFalse();

            runs.set(1, RunStatus.FAILED, 2);
            await().atMost(WAIT).until(events::ended);

            // each line's id is the byte offset after it: where a reconnecting client resumes
            assertThat(events.events())
                    .containsExactly(
                            new Event("message", "4", "one"),
                            new Event("message", "8", "two"),
                            new Event("status", "8", status("running", "", false)),
                            new Event("message", "14", "three"),
                            new Event("status", "14", status("failed", "2", true)));
        }
    }

    @Test
    void aClientThatDidNotAskForTransitionsGetsOnlyTheFinalStatus() {
        runs.set(11, RunStatus.QUEUED, null);
        try (EventStream events = open(11, Map.of())) {
            runs.transitionHere(11, RunStatus.RUNNING);
            write(11, "one\n");
            await().atMost(WAIT).until(() -> events.lines().size() == 1);
            runs.transitionHere(11, RunStatus.SUCCEEDED);
            await().atMost(WAIT).until(events::ended);

            // the stream's first contract: lines, then one status event, the final one
            assertThat(events.events())
                    .containsExactly(
                            new Event("message", "4", "one"), new Event("status", "4", status("succeeded", "", true)));
        }
    }

    @Test
    void theLastLinesAndAnUnfinishedOneGoOutBeforeTheStatus() {
        runs.set(2, RunStatus.RUNNING, null);
        write(2, "started\n");
        try (EventStream events = open(2, Map.of())) {
            await().atMost(WAIT).until(() -> events.lines().size() == 1);
            // the executor writes its last lines, then marks the run final, between two ticks
            write(2, "Finished: SUCCEEDED\nno newline");
            runs.set(2, RunStatus.SUCCEEDED, 0);
            await().atMost(WAIT).until(events::ended);

            assertThat(events.lines()).containsExactly("started", "Finished: SUCCEEDED", "no newline");
            assertThat(events.status()).contains(new Event("status", "38", status("succeeded", "0", true)));
        }
    }

    @Test
    void aReconnectingClientResumesAfterItsLastEventId() {
        runs.set(3, RunStatus.SUCCEEDED, 0);
        write(3, "one\ntwo\nthree\n");
        try (EventStream events = open(3, Map.of("Last-Event-ID", "4"))) {
            await().atMost(WAIT).until(events::ended);
            assertThat(events.events())
                    .containsExactly(
                            new Event("message", "8", "two"),
                            new Event("message", "14", "three"),
                            new Event("status", "14", status("succeeded", "0", true)));
        }
    }

    @Test
    void startBeginsAtAByteOffsetAndLastEventIdWinsOverIt() {
        runs.set(4, RunStatus.SUCCEEDED, 0);
        write(4, "one\ntwo\nthree\n");
        try (EventStream fromStart = open(4, "?start=8", Map.of());
                EventStream resumed = open(4, "?start=8", Map.of("Last-Event-ID", "4"))) {
            await().atMost(WAIT).until(() -> fromStart.ended() && resumed.ended());
            assertThat(fromStart.lines()).containsExactly("three");
            assertThat(resumed.lines()).containsExactly("two", "three");
        }
    }

    @Test
    void aRunThatEndedBeforeItWroteAnythingSendsOnlyItsStatus() {
        // cancelled while queued: no log, no exit code
        runs.set(5, RunStatus.CANCELLED, null);
        try (EventStream events = open(5, Map.of())) {
            await().atMost(WAIT).until(events::ended);
            assertThat(events.events()).containsExactly(new Event("status", "0", status("cancelled", "", true)));
        }
    }

    @Test
    void aFollowerThatLeavesDoesNotEndTheOthers() {
        runs.set(6, RunStatus.RUNNING, null);
        write(6, "one\n");
        try (EventStream staying = open(6, Map.of())) {
            try (EventStream leaving = open(6, Map.of())) {
                await().atMost(WAIT)
                        .until(() ->
                                leaving.lines().size() == 1 && staying.lines().size() == 1);
            }
            write(6, "two\n");
            runs.set(6, RunStatus.SUCCEEDED, 0);
            await().atMost(WAIT).until(staying::ended);
            assertThat(staying.lines()).containsExactly("one", "two");
            assertThat(staying.status()).isPresent();
        }
    }

    @Test
    void aRunEndingOnThisNodeWakesItsFollowersWithoutWaitingForAPoll() {
        // the poll clock stands still: after its first look, only the wake-up can end the stream
        pollClockStandsStill();
        runs.set(7, RunStatus.RUNNING, null);
        write(7, "working\n");
        try (EventStream events = open(7, Map.of())) {
            await().atMost(WAIT).until(() -> events.lines().size() == 1 && runs.lookups(7) >= 1);
            runs.finishHere(7, RunStatus.SUCCEEDED, 0);
            await().atMost(WAIT).until(events::ended);
            assertThat(events.status()).map(Event::data).contains(status("succeeded", "0", true));
        }
    }

    @Test
    void aRunEndingElsewhereIsSeenAtTheNextStatusPoll() {
        SettableClock clock = pollClockStandsStill();
        runs.set(8, RunStatus.RUNNING, null);
        write(8, "working\n");
        try (EventStream events = open(8, Map.of())) {
            await().atMost(WAIT).until(() -> events.lines().size() == 1 && runs.lookups(8) >= 1);
            // finished on another node (or cancelled while queued): no wake-up comes here
            runs.set(8, RunStatus.TIMED_OUT, null);
            clock.advance(Duration.ofSeconds(1));
            await().atMost(WAIT).until(events::ended);
            assertThat(events.status()).map(Event::data).contains(status("timed_out", "", true));
        }
    }

    @Test
    void aPageAsksForLinesInBatches() {
        runs.set(10, RunStatus.SUCCEEDED, 0);
        write(10, "one\n\nthree\n");
        try (EventStream events = open(10, "?batch=true", Map.of())) {
            await().atMost(WAIT).until(events::ended);
            assertThat(events.events())
                    .containsExactly(
                            new Event("lines", "11", "one\n\nthree"),
                            new Event("status", "11", status("succeeded", "0", true)));
        }
    }

    @Test
    void everyChangeOnThisNodeIsSentAsAStatusEventWithoutWaitingForAPoll() {
        // after its first look the poll clock stands still: only the word of the change can send it
        pollClockStandsStill();
        runs.set(9, RunStatus.QUEUED, null);
        try (EventStream events = open(9, "?transitions=true", Map.of())) {
            await().atMost(WAIT).until(() -> events.statuses().size() == 1);
            runs.transitionHere(9, RunStatus.RUNNING);
            await().atMost(WAIT).until(() -> events.statuses().size() == 2);
            write(9, "working\n");
            runs.transitionHere(9, RunStatus.SUCCEEDED);
            await().atMost(WAIT).until(events::ended);
            assertThat(events.events())
                    .containsExactly(
                            new Event("status", "0", status("queued", "", false)),
                            new Event("status", "0", status("running", "", false)),
                            new Event("message", "8", "working"),
                            new Event("status", "8", status("succeeded", "", true)));
        }
    }

    private SettableClock pollClockStandsStill() {
        SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-11-25T08:00:00Z"));
        stream.close();
        stream = new LogStream(runs, logs, Duration.ofSeconds(10), clock);
        return clock;
    }

    private EventStream open(long runId, Map<String, String> headers) {
        return open(runId, "", headers);
    }

    private EventStream open(long runId, String query, Map<String, String> headers) {
        EventStream events = EventStream.open(
                URI.create("http://localhost:" + app.port() + "/runs/" + runId + "/log" + query), headers);
        assertThat(events.statusCode()).isEqualTo(200);
        return events;
    }

    /** Appends as the executor does: a write to the log store, closed (flushed) at once. */
    private void write(long runId, String text) {
        try (OutputStream out = logs.append(runId)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The runs as the database would answer for them, and the finish listeners of this node. */
    private static final class StatusBoard implements LogStream.FollowedRuns {
        private final Map<Long, Run> runs = new ConcurrentHashMap<>();
        private final Map<Long, Integer> lookups = new ConcurrentHashMap<>();
        private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
        private final List<Consumer<Run>> observers = new CopyOnWriteArrayList<>();

        void set(long id, RunStatus status, Integer exitCode) {
            runs.put(
                    id,
                    new Run(
                            id,
                            "follow-me",
                            id,
                            status,
                            new Cause("api", "tester", null),
                            JsonNodeFactory.instance.objectNode(),
                            Instant.EPOCH,
                            null,
                            null,
                            exitCode,
                            "node-a",
                            false,
                            LaunchOptions.NONE));
        }

        /** As the executor on this node does when a run ends: stored, then announced. */
        void finishHere(long id, RunStatus status, Integer exitCode) {
            set(id, status, exitCode);
            listeners.forEach(l -> l.accept(id));
        }

        /** How often the stream asked for the run's status. */
        int lookups(long id) {
            return lookups.getOrDefault(id, 0);
        }

        @Override
        public Run find(long runId) {
            lookups.merge(runId, 1, Integer::sum);
            return runs.get(runId);
        }

        @Override
        public void onFinish(LongConsumer listener) {
            listeners.add(listener);
        }

        /** As the lifecycle on this node does for any change: stored, then told to the observers. */
        void transitionHere(long id, RunStatus status) {
            set(id, status, null);
            Run run = runs.get(id);
            observers.forEach(o -> o.accept(run));
        }

        @Override
        public void onTransition(Consumer<Run> listener) {
            observers.add(listener);
        }
    }

    /** A status event's data for a run of {@link StatusBoard} (which has no times). */
    private static String status(String status, String exitCode, boolean last) {
        return "{\"status\":\"" + status + "\",\"exitCode\":\"" + exitCode + "\",\"final\":" + last
                + ",\"startedAt\":null,\"finishedAt\":null}";
    }
}
