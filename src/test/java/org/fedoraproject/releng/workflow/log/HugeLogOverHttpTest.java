package org.fedoraproject.releng.workflow.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import org.fedoraproject.releng.workflow.Engine;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine whose whole heap is 64 MiB serves a 1 GiB console log, complete and intact: the log
 * is streamed, never held in memory.
 */
class HugeLogOverHttpTest {

    static final long GIB = 1L << 30;

    @TempDir
    Path home;

    @Test
    void oneGibibyteLogIsServedByAnEngineWithASixtyFourMebibyteHeap() throws Exception {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        Files.writeString(home.resolve("token"), TestEngine.TOKEN + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = home.resolve("engine.yaml");
        Files.writeString(config, TestEngine.configYaml(home, catalog).replace("port: 0", "port: " + port));
        Process engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Engine.class.getName(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("engine.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/workflows/echo-params/runs"))
                    .header("Authorization", "Bearer " + TestEngine.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            long id = new ObjectMapper().readTree(created.body()).get("id").asLong();
            await().atMost(Duration.ofSeconds(90)).until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"succeeded\""));

            // grow the finished run's log to 1 GiB, as a very chatty playbook would
            Path log = home.resolve("data/logs/" + (id / 1000) + "/" + id + ".log");
            MessageDigest written = MessageDigest.getInstance("SHA-256");
            written.update(Files.readAllBytes(log));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < chunk.length; i += 100) {
                chunk[i] = '\n';
            }
            long size = Files.size(log);
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                while (size < GIB) {
                    out.write(chunk);
                    written.update(chunk);
                    size += chunk.length;
                }
            }

            HttpResponse<InputStream> served = http.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id + "/log")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest read = MessageDigest.getInstance("SHA-256");
            long count = 0;
            try (InputStream in = served.body()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    read.update(buffer, 0, n);
                    count += n;
                }
            }
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(count).isEqualTo(size);
            assertThat(read.digest()).isEqualTo(written.digest());
            // the run page embeds only the tail, so it stays small too
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/job/echo-params/1/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body().length()).isLessThan(400_000);
            assertThat(page.body()).contains("KiB skipped");
            assertThat(engine.isAlive()).isTrue();
            assertThat(Files.readString(home.resolve("engine.log"))).doesNotContain("OutOfMemoryError");
        } finally {
            engine.destroy();
            engine.waitFor();
        }
    }
}
