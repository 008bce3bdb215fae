package org.fedoraproject.releng.workflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.fedoraproject.releng.workflow.Engine;

/**
 * An engine in a JVM of its own, for what an in-process engine cannot show: being killed without
 * warning, or living within a small heap. Same configuration as {@link TestEngine}, fixed port.
 */
public final class ChildEngine implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String base;
    private final Path home;
    private final HttpClient http = HttpClient.newHttpClient();

    private ChildEngine(Process process, String base, Path home) {
        this.process = process;
        this.base = base;
        this.home = home;
    }

    /** Copies the fixture catalog into {@code home} and starts an engine there; returns once healthy. */
    public static ChildEngine start(Path home, String... jvmOptions) throws IOException {
        Path catalog = home.resolve("workflows");
        if (!Files.exists(catalog)) {
            TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        }
        Files.writeString(home.resolve("token"), TestEngine.TOKEN + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = home.resolve("engine.yaml");
        Files.writeString(config, TestEngine.configYaml(home, catalog).replace("port: 0", "port: " + port));
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), Engine.class.getName(), "--config", config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("engine.log").toFile())
                .start();
        ChildEngine engine = new ChildEngine(process, "http://127.0.0.1:" + port, home);
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> engine.get("/healthz").statusCode() == 200);
        return engine;
    }

    public String url(String path) {
        return base + path;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), handler);
    }

    /** Starts a run with the service account's token; returns its id. */
    public long trigger(String workflow, String parametersJson) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url("/api/workflows/" + workflow + "/runs")))
                        .header("Authorization", "Bearer " + TestEngine.TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"parameters\":" + parametersJson + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asLong();
    }

    public String status(long runId) throws IOException, InterruptedException {
        JsonNode run = JSON.readTree(get("/api/runs/" + runId).body());
        return run.get("status").asText();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(home.resolve("engine.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the engine gets no chance to record anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as systemd stops a service; fails unless the engine has exited within {@code within}. */
    public void terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the engine did not stop within " + within + " of SIGTERM");
        }
    }

    /** SIGTERM and wait; interrupted while waiting, it kills the engine rather than leave it behind. */
    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
