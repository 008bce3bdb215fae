package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The engine's JSON API over java.net.http. Every non-2xx answer becomes a {@link CliException}
 * with the engine's own message and the exit code for its kind, decided here and nowhere else.
 */
final class EngineClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Connection connection;
    private final HttpClient http;
    private final ObjectMapper json;

    EngineClient(Connection connection, ObjectMapper json) {
        this.connection = connection;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** One answer of the progressive log: bytes from the asked offset, where to ask next, and whether more will come. */
    record LogChunk(byte[] bytes, long next, boolean more) {}

    record Answer(int status, JsonNode body) {}

    JsonNode get(String path) {
        return send(request(path).GET(), path).body();
    }

    Answer post(String path, JsonNode body) {
        HttpRequest.Builder b = request(path)
                .header("Content-Type", "application/json")
                .POST(
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        return send(b, path);
    }

    LogChunk log(long runId, long start) {
        String path = "/api/runs/" + runId + "/log?start=" + start;
        HttpResponse<byte[]> r = exchange(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray(), path);
        if (r.statusCode() / 100 != 2) {
            throw failure(r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8), path);
        }
        long next = r.headers().firstValueAsLong("X-Text-Size").orElse(start + r.body().length);
        boolean more =
                Boolean.parseBoolean(r.headers().firstValue("X-More-Data").orElse("false"));
        return new LogChunk(r.body(), next, more);
    }

    URI server() {
        return connection.server();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(connection.server() + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "releng-cli");
        if (connection.token() != null) {
            b.header("Authorization", "Bearer " + connection.token());
        }
        return b;
    }

    private Answer send(HttpRequest.Builder builder, String path) {
        HttpResponse<String> r = exchange(builder.build(), HttpResponse.BodyHandlers.ofString(), path);
        if (r.statusCode() / 100 != 2) {
            throw failure(r.statusCode(), r.body(), path);
        }
        return new Answer(r.statusCode(), parse(r.body(), path));
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String path) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "cannot connect to the engine at " + connection.server()
                            + " (is the URL right and the engine running?)",
                    e);
        } catch (HttpTimeoutException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "the engine at " + connection.server() + " did not answer " + path + " in time",
                    e);
        } catch (IOException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE, "talking to the engine at " + connection.server() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "interrupted", e);
        }
    }

    private JsonNode parse(String body, String path) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new CliException(
                    ExitCode.UNREACHABLE,
                    "the answer to " + path + " is not JSON; is " + connection.server() + " a releng workflow engine?",
                    e);
        }
    }

    private CliException failure(int status, String body, String path) {
        JsonNode error = null;
        try {
            error = json.readTree(body);
        } catch (IOException ignored) {
            // not JSON: a proxy's error page, say; the status alone must do
        }
        String message =
                error != null && error.hasNonNull("error") ? error.get("error").asText() : "HTTP " + status;
        return switch (status) {
            case 400 ->
                new CliException(ExitCode.USAGE, badRequest(message, error == null ? null : error.get("fields")));
            case 401 ->
                new CliException(
                        ExitCode.NOT_AUTHORIZED,
                        connection.token() == null
                                ? "authentication required (" + message + "): " + ConnectionSettings.tokenHint()
                                : "the engine did not accept the token from " + connection.tokenSource() + ": "
                                        + message);
            case 403 ->
                new CliException(
                        ExitCode.NOT_AUTHORIZED,
                        "permission denied: " + message
                                + (connection.token() == null ? "; " + ConnectionSettings.tokenHint() : ""));
            case 404 -> new CliException(ExitCode.NOT_FOUND, "not found: " + message);
            case 409 -> new CliException(ExitCode.CONFLICT, "refused: " + message);
            default ->
                new CliException(
                        ExitCode.UNREACHABLE, "the engine answered " + path + " with HTTP " + status + ": " + message);
        };
    }

    private static String badRequest(String message, JsonNode fields) {
        if (fields == null || !fields.isObject() || fields.isEmpty()) {
            return "the engine refused the request: " + message;
        }
        List<String> lines = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            lines.add("  parameter `" + f.getKey() + "`: " + f.getValue().asText());
        }
        lines.sort(null);
        return "the engine refused the parameters:\n" + String.join("\n", lines);
    }
}
