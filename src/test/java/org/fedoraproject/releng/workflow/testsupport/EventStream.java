package org.fedoraproject.releng.workflow.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Server-Sent Events client that parses the stream as a browser's EventSource does (HTML
 * "event stream interpretation": CR, LF and CRLF all end a line; {@code data} lines join with LF;
 * the last event id carries over), reading on its own thread so a test can watch events arrive.
 */
public final class EventStream implements AutoCloseable {

    /** {@code id} is the last event id in force when the event was dispatched. */
    public record Event(String type, String id, String data) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code path} on the engine with {@code Accept: text/event-stream} and the extra headers. */
    public static EventStream open(TestEngine engine, String path, Map<String, String> headers) {
        return open(URI.create(engine.url(path)), headers);
    }

    /** Opens {@code uri} on any server, as {@link #open(TestEngine, String, Map)} does. */
    public static EventStream open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        headers.forEach(request::header);
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            return new EventStream(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int statusCode() {
        return response.statusCode();
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The data of the {@code message} events so far: the log lines. */
    public List<String> lines() {
        return events.stream()
                .filter(e -> e.type().equals("message"))
                .map(Event::data)
                .toList();
    }

    /** The last {@code status} event so far: once the stream ended, the final status. */
    public Optional<Event> status() {
        List<Event> statuses = statuses();
        return statuses.isEmpty() ? Optional.empty() : Optional.of(statuses.get(statuses.size() - 1));
    }

    /** Every {@code status} event so far: the status when the stream caught up, each change, the end. */
    public List<Event> statuses() {
        return events.stream().filter(e -> e.type().equals("status")).toList();
    }

    /** True once the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String type = "";
            String lastId = "";
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        data.setLength(data.length() - 1);
                        events.add(new Event(type.isEmpty() ? "message" : type, lastId, data.toString()));
                    }
                    data.setLength(0);
                    type = "";
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "data" -> data.append(value).append('\n');
                    case "event" -> type = value;
                    case "id" -> lastId = value;
                    default -> {} // ignored, as EventSource does
                }
            }
        } catch (IOException e) {
            // closed by the test, or the server dropped the connection: either way the stream ended
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already gone
        }
        reader.interrupt();
    }
}
