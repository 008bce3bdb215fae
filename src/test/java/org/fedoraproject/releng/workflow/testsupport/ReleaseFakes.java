package org.fedoraproject.releng.workflow.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Koji hub, Bodhi and dist-git stand-ins from {@code test-fixtures/fakes}, each a {@code
 * /usr/bin/python3} child on a free loopback port, plus the {@code pungi-koji} stand-in's path.
 *
 * <p>{@link #start()} seeds them with {@code test-fixtures/catalog/*-seed.json}, whose credentials
 * are the constants below; {@link #seedKoji}/{@link #seedBodhi} add more, and {@link #kojiState}/
 * {@link #bodhiState}/{@link #distGitState} return what the fakes hold now, for assertions after a
 * run.
 */
public final class ReleaseFakes implements AutoCloseable {
    public static final String KOJI_USER = "releng-bot";
    public static final String KOJI_PASSWORD = "koji-test-password";
    /** A Bodhi user in the releng group: may create releases and push. */
    public static final String BODHI_RELENG_TOKEN = "bodhi-releng-token";
    /** A Bodhi user in the qa group only: may comment, not create releases or push. */
    public static final String BODHI_QA_TOKEN = "bodhi-qa-token";

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path fixtures;
    private final Path logDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private URI kojiHubUrl;
    private URI bodhiUrl;
    private URI distGitUrl;

    private ReleaseFakes(Path fixtures) throws IOException {
        this.fixtures = fixtures;
        this.logDir = Files.createTempDirectory("release-fakes");
    }

    /** Starts the fakes with the catalog's default seeds. */
    public static ReleaseFakes start() {
        Path fixtures = projectDir().resolve("test-fixtures");
        return start(fixtures.resolve("catalog/koji-seed.json"), fixtures.resolve("catalog/bodhi-seed.json"));
    }

    /**
     * Starts the fakes with the given Koji and Bodhi seed files (see the fakes' docstrings for their
     * shape); dist-git gets its default seed.
     */
    public static ReleaseFakes start(Path kojiSeed, Path bodhiSeed) {
        ReleaseFakes fakes = null;
        try {
            fakes = new ReleaseFakes(projectDir().resolve("test-fixtures"));
            fakes.kojiHubUrl = fakes.launch("koji_hub.py", kojiSeed);
            fakes.bodhiUrl = fakes.launch("bodhi_api.py", bodhiSeed);
            fakes.distGitUrl = fakes.launch("distgit.py", fakes.fixtures.resolve("catalog/distgit-seed.json"));
            return fakes;
        } catch (IOException | RuntimeException e) {
            if (fakes != null) {
                fakes.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The project directory: Maven runs tests there. */
    public static Path projectDir() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath();
    }

    /** XML-RPC endpoint, as Koji clients expect it: {@code http://127.0.0.1:PORT/kojihub}. */
    public URI kojiHubUrl() {
        return kojiHubUrl;
    }

    /** Bodhi's base URL, ending in a slash. */
    public URI bodhiUrl() {
        return bodhiUrl;
    }

    /** dist-git's base URL (Pagure's), ending in a slash. */
    public URI distGitUrl() {
        return distGitUrl;
    }

    public Path pungiKoji() {
        return fixtures.resolve("fakes/pungi-koji");
    }

    /** A directory holding {@code fedora.conf}: {@code ok} composes, {@code doomed} fails in gather. */
    public Path pungiConfigDir(String name) {
        return fixtures.resolve("catalog/pungi-configs").resolve(name);
    }

    /** Where the fakes' stderr (request logs) goes; worth reading when a test fails. */
    public Path logDir() {
        return logDir;
    }

    public JsonNode seedKoji(String seedJson) {
        return post(kojiHubUrl.resolve("/_fake/seed"), seedJson);
    }

    public JsonNode seedBodhi(String seedJson) {
        return post(bodhiUrl.resolve("/_fake/seed"), seedJson);
    }

    /** {@code {"tags": {name: {..., "parents": [{name, priority}]}}, "targets", "tagged": {tag: [nvr]}, ...}} */
    public JsonNode kojiState() {
        return get(kojiHubUrl.resolve("/_fake/state"));
    }

    /** {@code {"releases": {name: {...}}, "updates": {alias: {...}}, "composes": [...], "requests": [...]}} */
    public JsonNode bodhiState() {
        return get(bodhiUrl.resolve("/_fake/state"));
    }

    /** {@code {"retired": {branch: {package: reason}}, "requests": ["GET /rpms/..."]}} */
    public JsonNode distGitState() {
        return get(distGitUrl.resolve("/_fake/state"));
    }

    private URI launch(String script, Path seed) throws IOException {
        String name = script.replace(".py", "");
        ProcessBuilder builder = new ProcessBuilder(
                        PYTHON.toString(),
                        fixtures.resolve("fakes").resolve(script).toString(),
                        "--port",
                        "0",
                        "--seed",
                        seed.toString())
                .redirectError(logDir.resolve(name + ".log").toFile());
        Process process = builder.start();
        processes.add(process);
        return URI.create(awaitReadyLine(process, name));
    }

    private String awaitReadyLine(Process process, String name) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = out.readLine()) != null) {
                            if (line.startsWith("READY ")) {
                                ready.complete(line.substring("READY ".length()).trim());
                            }
                        }
                        ready.completeExceptionally(new IllegalStateException(name + " exited with " + process.waitFor()
                                + " before it was ready; see " + logDir.resolve(name + ".log")));
                    } catch (IOException | InterruptedException e) {
                        ready.completeExceptionally(e);
                    }
                },
                name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " printed no READY line within " + READY_TIMEOUT, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    private JsonNode get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    private JsonNode post(URI uri, String json) {
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted talking to " + request.uri(), e);
        }
    }

    /** Sends SIGTERM (the fakes exit cleanly on it) and waits; kills what is left after 10s. */
    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
