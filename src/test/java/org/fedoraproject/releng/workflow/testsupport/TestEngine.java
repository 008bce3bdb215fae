package org.fedoraproject.releng.workflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.Engine;
import org.fedoraproject.releng.workflow.config.ConfigLoader;
import org.fedoraproject.releng.workflow.config.EngineConfig;

/**
 * A whole engine in this JVM, on a random loopback port, with its own data directory and a copy
 * of the fixture catalog: the way Jenkins' JenkinsRule boots Jenkins for a test. Tests talk to it
 * over real HTTP.
 */
public final class TestEngine implements AutoCloseable {

    public static final String TOKEN = "test-token-0123456789abcdef";
    public static final Path FIXTURES = Path.of("test-fixtures").toAbsolutePath();
    private static final Set<String> FINAL =
            Set.of("succeeded", "failed", "cancelled", "timed_out", "lost", "rejected");

    private final Engine engine;
    private final Path home;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private TestEngine(Engine engine, Path home) {
        this.engine = engine;
        this.home = home;
    }

    /** A fresh home with the fixture catalog; {@code extraYaml} is appended to the configuration. */
    public static TestEngine start(Path home, String extraYaml) {
        Path catalog = home.resolve("workflows");
        if (!Files.exists(catalog)) {
            copyTree(FIXTURES.resolve("workflows"), catalog);
        }
        return startWith(home, catalog, extraYaml, Map.of());
    }

    public static TestEngine startWith(Path home, Path catalog, String extraYaml, Map<String, String> env) {
        return startWith(home, catalog, extraYaml, "", env, Clock.systemUTC());
    }

    /**
     * A fresh home with the fixture catalog and more {@code auth} keys: {@code authYaml} holds
     * lines such as {@code "oidc: {...}\ntokenMaxIdle: 30d\n"}, indented into the {@code auth}
     * section beside the releng-bot service account and the test matrix.
     */
    public static TestEngine startWithAuth(Path home, String authYaml, Map<String, String> env, Clock clock) {
        Path catalog = home.resolve("workflows");
        if (!Files.exists(catalog)) {
            copyTree(FIXTURES.resolve("workflows"), catalog);
        }
        return startWith(home, catalog, null, authYaml, env, clock);
    }

    /** A fresh home with the fixture catalog whose engine logs people in through {@code provider}. */
    public static TestEngine startWithLogin(Path home, FedoraLikeProvider provider) {
        return startWithAuth(
                home,
                "oidc: " + provider.oidcYaml() + "\n",
                Map.of(FedoraLikeProvider.SECRET_ENV, FedoraLikeProvider.SECRET),
                Clock.systemUTC());
    }

    /** The general form: {@code extraYaml} at the top level, {@code authYaml} inside {@code auth}. */
    public static TestEngine startWith(
            Path home, Path catalog, String extraYaml, String authYaml, Map<String, String> env, Clock clock) {
        try {
            Files.writeString(home.resolve("token"), TOKEN + "\n");
            Path config = home.resolve("engine.yaml");
            String auth = authYaml.lines().map(line -> "  " + line + "\n").reduce("", String::concat);
            Files.writeString(config, configYaml(home, catalog) + auth + (extraYaml == null ? "" : extraYaml));
            Map<String, String> environment = new HashMap<>(env);
            EngineConfig loaded = new ConfigLoader().load(config, environment);
            return new TestEngine(Engine.start(loaded, environment, clock), home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String configYaml(Path home, Path catalog) {
        return "server: {port: 0, host: 127.0.0.1}\n"
                + "dataDir: " + home.resolve("data") + "\n"
                + "catalogDir: " + catalog + "\n"
                + "workers: 4\n"
                + "nodeName: test-node\n"
                + "runs: {terminateGrace: 2s}\n"
                + "auth:\n"
                + "  serviceAccounts:\n"
                + "    - {name: releng-bot, groups: [releng], tokenFile: " + home.resolve("token") + "}\n"
                + "  matrix:\n"
                + "    - {principal: anonymous, allow: [read]}\n"
                + "    - {principal: \"group:releng\", allow: [admin]}\n";
    }

    public static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Engine engine() {
        return engine;
    }

    public Path home() {
        return home;
    }

    public Path catalogDir() {
        return engine.catalog().directory();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + engine.port() + path;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    public HttpResponse<String> getWithToken(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + TOKEN)
                .GET()
                .build());
    }

    public HttpResponse<String> getWithBearer(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    }

    public HttpResponse<String> post(String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The engine's own base URL: browsers logging in must use it, since the session cookie is set there. */
    public String base(String path) {
        return engine.baseUrl() + path;
    }

    /** Triggers with the service account and returns the created run (asserting 201). */
    public JsonNode trigger(String workflow, String parametersJson) {
        HttpResponse<String> r = post(
                "/api/workflows/" + workflow + "/runs",
                "{\"parameters\":" + (parametersJson == null ? "{}" : parametersJson) + "}",
                TOKEN);
        assertThat(r.statusCode()).as("trigger %s: %s", workflow, r.body()).isEqualTo(201);
        return read(r.body());
    }

    public JsonNode run(long id) {
        HttpResponse<String> r = getWithToken("/api/runs/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return read(r.body());
    }

    public JsonNode awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> run(id).get("status").asText().equals(status));
        return run(id);
    }

    public JsonNode awaitFinal(long id) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> FINAL.contains(run(id).get("status").asText()));
        return run(id);
    }

    public String log(long id) {
        HttpResponse<String> r = getWithToken("/api/runs/" + id + "/log");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    public JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
