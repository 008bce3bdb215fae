package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.EventStream;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue #9, item 5: anonymous clients that open a live log stream and never read cannot delay
 * anyone else's stream; a follower that falls behind is dropped and may resume with
 * Last-Event-ID; a disconnect costs one log line; blank lines arrive; bad offsets get 400.
 */
class LiveLogsCannotBeStalledIT {

    /** Enough output that a client which never reads fills every buffer between it and the engine. */
    static final int LINES = 100_000;

    @TempDir
    static Path home;

    static TestEngine engine;
    static long printed;
    static final EngineLog engineLog = new EngineLog();

    /** Every line the engine logs while the tests run (thread-safe, unlike logback's ListAppender). */
    static final class EngineLog extends AppenderBase<ILoggingEvent> {
        private final List<ILoggingEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }

        List<ILoggingEvent> since(int index) {
            synchronized (events) {
                return new ArrayList<>(events.subList(index, events.size()));
            }
        }

        int size() {
            return events.size();
        }
    }

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        engineLog.setContext(root.getLoggerContext());
        engineLog.start();
        root.addAppender(engineLog);
        // the stream's own lines about followers may be DEBUG: count those too
        ((Logger) LoggerFactory.getLogger("org.fedoraproject.releng.workflow.web")).setLevel(Level.DEBUG);
        // the default write timeout: a shorter one dropped honest followers of a loaded machine
        engine = TestEngine.startWith(home, copyOfFixtures(), null, Map.of("RELENG_SERVER_STREAMWRITETIMEOUT", "10s"));
        printed = engine.trigger("print-many-lines", "{\"lines\":" + LINES + "}")
                .get("id")
                .asLong();
        assertThat(engine.awaitFinal(printed).get("status").asText()).isEqualTo("succeeded");
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(engineLog);
        ((Logger) LoggerFactory.getLogger("org.fedoraproject.releng.workflow.web")).setLevel(null);
    }

    private static Path copyOfFixtures() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        return catalog;
    }

    @Test
    void twoClientsThatNeverReadDoNotDelayAnotherFollower() throws Exception {
        Path release = home.resolve("release-stalled-run");
        long id = engine.trigger("print-many-lines", "{\"lines\":" + LINES + ",\"wait_for_file\":\"" + release + "\"}")
                .get("id")
                .asLong();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> engine.log(id).contains("TASK [Wait until the test lets the run end]"));

        try (Socket first = neverReading(id);
                Socket second = neverReading(id);
                EventStream follower = EventStream.open(engine, "/api/runs/" + id + "/log/stream", Map.of())) {
            // everything logged so far arrives promptly, while the run is still going
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() ->
                            follower.lines().size() >= lines(engine.log(id)).size());
            assertThat(follower.statuses()).noneMatch(s -> s.data().contains("\"final\":true"));
            Files.writeString(release, "go");
            await().atMost(Duration.ofSeconds(60)).until(follower::ended);

            assertSameLines(follower.lines(), lines(engine.log(id)));
            assertThat(follower.status())
                    .hasValueSatisfying(s -> assertThat(s.data()).contains("\"succeeded\""));
            // the clients that never read are dropped once the write timeout has passed, long
            // before they had the whole stream (reading before that would let them catch up)
            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(
                            () -> assertThat(linesAbout(first)).hasSize(1).allMatch(l -> l.contains("run " + id)));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(linesAbout(second)).hasSize(1));
            long whole =
                    follower.lines().stream().mapToLong(l -> l.length() + 40).sum();
            assertThat(readUntilClosed(first)).isLessThan(whole);
            assertThat(readUntilClosed(second)).isLessThan(whole);
        }
    }

    @Test
    void aClientThatGoesAwayCostsOneLogLine() throws Exception {
        Path release = home.resolve("release-quiet-run");
        long quiet = engine.trigger("print-many-lines", "{\"lines\":1,\"wait_for_file\":\"" + release + "\"}")
                .get("id")
                .asLong();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> engine.log(quiet).contains("TASK [Wait until the test lets the run end]"));
        int before = engineLog.size();
        Socket reset = neverReading(printed);
        Socket closed = neverReading(printed);
        Socket waiting = neverReading(quiet);
        readSome(reset);
        readSome(closed);

        reset.setSoLinger(true, 0); // an RST, as a crashed client or a middlebox sends
        reset.close();
        closed.close();
        waiting.close(); // while the run is quiet: nothing is being written to it

        List<Socket> gone = List.of(reset, closed, waiting);
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> gone.forEach(c -> assertThat(linesAbout(c)).hasSize(1)));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> gone.forEach(c -> assertThat(linesAbout(c)).hasSize(1)));
        Files.writeString(release, "go");
        List<ILoggingEvent> warnings = engineLog.since(before).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
        assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void blankLinesArriveAsEventsAndCarriageReturnsCannotForgeEvents() throws Exception {
        long id = engine.trigger("echo-params", null).get("id").asLong();
        engine.awaitFinal(id);
        // a finished log that ends with text as a playbook might print it: blank lines, a lone CR,
        // and a CR followed by what would be SSE fields if the CR ended the line
        Path file = home.resolve("data/logs/" + (id / 1000) + "/" + id + ".log");
        Files.writeString(
                file,
                "\n\nprogress 10%\rprogress 20%\r\nevent: status\rdata: {\"status\":\"forged\"}\r\rid: 0\n\n",
                StandardOpenOption.APPEND);

        try (EventStream stream = EventStream.open(engine, "/api/runs/" + id + "/log/stream", Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(stream::ended);

            List<String> expected = lines(Files.readString(file));
            assertThat(expected).contains("");
            assertSameLines(stream.lines(), expected);
            assertThat(stream.lines()).contains("", "progress 10%progress 20%");
            assertThat(stream.events())
                    .filteredOn(e -> e.type().equals("status"))
                    .hasSize(1)
                    .allMatch(e -> e.data().contains("\"succeeded\""));
        }
    }

    @Test
    void aResumedStreamContinuesAtTheNextLine() {
        String path = "/api/runs/" + printed + "/log/stream";
        List<EventStream.Event> whole;
        try (EventStream stream = EventStream.open(engine, path, Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(stream::ended);
            whole = stream.events();
        }
        assertSameLines(
                whole.stream()
                        .filter(e -> e.type().equals("message"))
                        .map(EventStream.Event::data)
                        .toList(),
                lines(engine.log(printed)));

        for (int cut : new int[] {0, whole.size() / 2, whole.size() - 2}) {
            String lastSeen = whole.get(cut).id();
            try (EventStream resumed = EventStream.open(engine, path, Map.of("Last-Event-ID", lastSeen))) {
                await().atMost(Duration.ofSeconds(60)).until(resumed::ended);
                List<EventStream.Event> rest = resumed.events();
                assertThat(rest.size())
                        .as("events after event %d (id %s)", cut, lastSeen)
                        .isEqualTo(whole.size() - cut - 1);
                assertThat(rest.get(0)).as("the first after event %d", cut).isEqualTo(whole.get(cut + 1));
                assertThat(rest).isEqualTo(whole.subList(cut + 1, whole.size()));
            }
        }
    }

    // closing the stream inside its try is the cut-off under test; the try still closes it when an
    // assertion fails
    @SuppressWarnings("try")
    @Test
    void aFollowerCutOffMidStreamResumesWithoutGapOrDuplicate() {
        String path = "/api/runs/" + printed + "/log/stream";
        List<EventStream.Event> received = new ArrayList<>();
        String lastSeen = null;
        while (true) {
            Map<String, String> headers = lastSeen == null ? Map.of() : Map.of("Last-Event-ID", lastSeen);
            try (EventStream stream = EventStream.open(engine, path, headers)) {
                int from = received.size();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> stream.ended() || stream.events().size() > 20_000);
                stream.close();
                await().atMost(Duration.ofSeconds(10)).until(stream::ended);
                received.addAll(stream.events());
                if (received.stream().anyMatch(e -> e.type().equals("status"))) {
                    break;
                }
                assertThat(received.size()).as("progress").isGreaterThan(from);
                lastSeen = received.get(received.size() - 1).id();
            }
        }
        assertSameLines(
                received.stream()
                        .filter(e -> e.type().equals("message"))
                        .map(EventStream.Event::data)
                        .toList(),
                lines(engine.log(printed)));
    }

    @Test
    void aNegativeOrMalformedStartIsRefused() {
        String stream = "/api/runs/" + printed + "/log/stream";
        for (String query : List.of("?start=-1", "?start=abc", "?start=", "?start=1.5")) {
            assertRefused(engine.get(stream + query), stream + query);
        }
        for (String id : List.of("-5", "12x", "7 8", "99999999999999999999999")) {
            HttpResponse<String> r =
                    engine.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(engine.url(stream)))
                            .header("Accept", "text/event-stream")
                            .header("Last-Event-ID", id)
                            .GET()
                            .build());
            assertRefused(r, "Last-Event-ID: " + id);
        }
        for (String query : List.of("?start=-1", "?start=abc")) {
            assertRefused(engine.get("/api/runs/" + printed + "/log" + query), "log" + query);
        }
        assertThat(engine.get(stream + "?start=0").statusCode()).isEqualTo(200);
    }

    private static void assertRefused(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type"))
                .as(what)
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(engine.read(r.body()).path("error").asText()).as(what).isNotBlank();
    }

    /** Names the first difference rather than printing a hundred thousand lines. */
    private static void assertSameLines(List<String> actual, List<String> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            assertThat(actual.get(i))
                    .as("line %d of %d", i + 1, expected.size())
                    .isEqualTo(expected.get(i));
        }
        assertThat(actual.size()).as("lines received").isEqualTo(expected.size());
    }

    /** A client with a tiny receive buffer that asks for the stream and then never reads. */
    private static Socket neverReading(long runId) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", engine.engine().port()), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/runs/" + runId + "/log/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Accept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        await().atMost(Duration.ofSeconds(10)).until(() -> in.available() > 0); // being served
        return socket;
    }

    private static void readSome(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getInputStream().readNBytes(4096);
    }

    /** Reads what the engine had sent until it closes the connection; fails if it never does. */
    private static long readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the engine kept a client that never reads connected", e);
        } catch (SocketException e) {
            // reset: closed as well
        }
        return total;
    }

    /** The engine's log lines that name this client's address. */
    private static List<String> linesAbout(Socket client) {
        String address = "127.0.0.1:" + client.getLocalPort();
        return engineLog.since(0).stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(address))
                .toList();
    }

    /** A log's lines as a follower should see them: split at LF, a CR is no line end and is dropped. */
    static List<String> lines(String log) {
        List<String> lines = new ArrayList<>(Arrays.asList(log.replace("\r", "").split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
