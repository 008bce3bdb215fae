package org.fedoraproject.releng.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine process is killed (SIGKILL, no chance to clean up) with one run running and one
 * queued; the engine started again on the same data marks the first lost and runs the second.
 */
class EngineRestartTest {

    @TempDir
    Path home;

    @Test
    void queuedRunSurvivesACrashAndTheRunningOneIsMarkedLost() throws Exception {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        Files.writeString(home.resolve("token"), TestEngine.TOKEN + "\n");
        int port = freePort();
        Path config = home.resolve("engine.yaml");
        Files.writeString(config, TestEngine.configYaml(home, catalog).replace("port: 0", "port: " + port));
        Path pidFile = home.resolve("crashed.pid");
        Process crashing = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Engine.class.getName(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("crashing.log").toFile()).start();
        long running;
        long queued;
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            running = trigger(http, base, "{\"seconds\":60,\"pid_file\":\"" + pidFile + "\"}");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            queued = trigger(http, base, "{\"seconds\":0}");
            assertThat(status(http, base, queued)).isEqualTo("queued");
        } finally {
            crashing.destroyForcibly().waitFor();
        }
        try (TestEngine restarted = TestEngine.startWith(home, catalog, null, Map.of())) {
            JsonNode lost = restarted.run(running);
            assertThat(lost.get("status").asText()).isEqualTo("lost");
            assertThat(restarted.log(running)).contains("TASK [Sleep").contains("Finished: LOST");
            JsonNode done = restarted.awaitFinal(queued);
            assertThat(done.get("status").asText()).isEqualTo("succeeded");
            assertThat(restarted.log(queued)).contains("awake after 0 seconds");
        } finally {
            killGroupOf(Long.parseLong(Files.readString(pidFile).strip()));
        }
    }

    private static long trigger(HttpClient http, String base, String parameters) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/workflows/sleeper/runs"))
                .header("Authorization", "Bearer " + TestEngine.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"parameters\":" + parameters + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("id").asLong();
    }

    private static String status(HttpClient http, String base, long id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("status").asText();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The killed engine's playbook lives on in its own process group; end it. */
    private static void killGroupOf(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return;
        }
        String[] fields = Files.readString(stat).replaceAll("^.*\\) ", "").split(" ");
        String group = fields[2];
        new ProcessBuilder(List.of("/bin/kill", "-s", "KILL", "--", "-" + group)).start().waitFor();
    }
}
