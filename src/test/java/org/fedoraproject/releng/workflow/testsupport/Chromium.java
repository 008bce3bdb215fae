package org.fedoraproject.releng.workflow.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Debian's headless {@code chromium}, driven through {@code chromedriver} with the W3C WebDriver
 * protocol spoken directly (a handful of JSON calls, so no Selenium is needed). Unlike HtmlUnit it
 * enforces Content-Security-Policy and runs EventSource, and its console shows policy violations.
 * A missing {@code chromium} or {@code chromium-driver} package makes the test fail.
 */
public final class Chromium implements AutoCloseable {

    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path BINARY = Path.of("/usr/lib/chromium/chromium");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final String base;
    private final String session;

    private Chromium() {
        if (!Files.isExecutable(DRIVER) || !Files.isExecutable(BINARY)) {
            throw new AssertionError(
                    "chromium and chromium-driver are needed: apt-get install chromium chromium-driver");
        }
        int port = freePort();
        try {
            driver = new ProcessBuilder(DRIVER.toString(), "--port=" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base = "http://127.0.0.1:" + port;
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> call("GET", "/status", null).path("ready").asBoolean());
            session = newSession();
        } catch (RuntimeException | AssertionError e) {
            driver.destroyForcibly();
            throw e;
        }
    }

    private String newSession() {
        ObjectNode caps = json.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode options = always.putObject("goog:chromeOptions");
        options.put("binary", BINARY.toString());
        options.putArray("args")
                .add("--headless=new")
                .add("--no-sandbox")
                .add("--disable-gpu")
                .add("--disable-dev-shm-usage")
                .add("--no-first-run");
        always.putObject("goog:loggingPrefs").put("browser", "ALL");
        return call("POST", "/session", caps).path("sessionId").asText();
    }

    public static Chromium start() {
        return new Chromium();
    }

    public void open(String url) {
        call("POST", "/session/" + session + "/url", json.createObjectNode().put("url", url));
    }

    /** The text of the element with this id, or null when there is none. */
    public String text(String id) {
        ObjectNode body = json.createObjectNode()
                .put("script", "var e = document.getElementById(arguments[0]); return e ? e.textContent : null;");
        body.putArray("args").add(id);
        JsonNode value = call("POST", "/session/" + session + "/execute/sync", body);
        return value.isNull() ? null : value.asText();
    }

    /** Runs {@code script} in the page as a function body ({@code arguments} holds {@code args}); its return value. */
    public JsonNode execute(String script, Object... args) {
        ObjectNode body = json.createObjectNode().put("script", script);
        var array = body.putArray("args");
        for (Object arg : args) {
            array.addPOJO(arg);
        }
        return call("POST", "/session/" + session + "/execute/sync", body);
    }

    /** Clicks the element {@code css} selects, as a user would (it must be visible). */
    public void click(String css) {
        call("POST", "/session/" + session + "/element/" + element(css) + "/click", json.createObjectNode());
    }

    /** Types {@code text} into the input {@code css} selects, after what it holds. */
    public void type(String css, String text) {
        call(
                "POST",
                "/session/" + session + "/element/" + element(css) + "/value",
                json.createObjectNode().put("text", text));
    }

    /** The value of the form field {@code css} selects. */
    public String value(String css) {
        return execute("return document.querySelector(arguments[0]).value;", css)
                .asText();
    }

    /** True when {@code css} selects an element in the page. */
    public boolean has(String css) {
        return execute("return document.querySelector(arguments[0]) !== null;", css)
                .asBoolean();
    }

    /** The visible page as PNG bytes. */
    public byte[] screenshot() {
        return java.util.Base64.getDecoder()
                .decode(call("GET", "/session/" + session + "/screenshot", null).asText());
    }

    public String currentUrl() {
        return call("GET", "/session/" + session + "/url", null).asText();
    }

    private String element(String css) {
        JsonNode found = call(
                "POST",
                "/session/" + session + "/element",
                json.createObjectNode().put("using", "css selector").put("value", css));
        // the W3C name of an element reference's key
        return found.path("element-6066-11e4-a52e-4f735466cecf").asText();
    }

    /** Console messages since the last call (Chromium reports policy violations there). */
    public List<String> consoleMessages() {
        JsonNode entries = call(
                "POST",
                "/session/" + session + "/se/log",
                json.createObjectNode().put("type", "browser"));
        List<String> messages = new ArrayList<>();
        entries.forEach(e ->
                messages.add(e.path("level").asText() + " " + e.path("message").asText()));
        return messages;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode value = json.readTree(response.body()).path("value");
            if (response.statusCode() != 200) {
                throw new AssertionError("chromedriver " + method + " " + path + ": " + response.body());
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            call("DELETE", "/session/" + session, null);
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                driver.destroyForcibly();
            }
        }
    }
}
