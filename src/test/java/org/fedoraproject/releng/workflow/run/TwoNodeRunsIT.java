package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine nodes on one PostgreSQL: a run started at once on the node that queued it still
 * runs exactly once, and a run is cancelled through the node that does not run it.
 */
class TwoNodeRunsIT {

    @TempDir
    Path dir;

    @Test
    void runsTriggeredOnBothNodesAtOnceEachRunExactlyOnce() throws Exception {
        try (Nodes nodes = new Nodes(dir, "two_node_runs_once")) {
            List<CompletableFuture<Long>> triggered = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                TestEngine node = i % 2 == 0 ? nodes.a : nodes.b;
                triggered.add(CompletableFuture.supplyAsync(
                        () -> node.trigger("echo-params", "{}").get("id").asLong()));
            }
            for (CompletableFuture<Long> run : triggered) {
                long id = run.get();
                JsonNode done = nodes.a.awaitFinal(id);
                assertThat(done.get("status").asText()).as("run %d", id).isEqualTo("succeeded");
                List<String> to = new ArrayList<>();
                done.get("transitions").forEach(t -> to.add(t.get("to").asText()));
                assertThat(to).as("run %d", id).containsExactly("queued", "running", "succeeded");
                // each node keeps the logs of the runs it executed
                String ranOn = done.get("transitions").get(1).get("actor").asText();
                TestEngine ran = ranOn.equals("node-a") ? nodes.a : nodes.b;
                assertThat(ran.log(id).split("\nRunning ", -1)).as("run %d", id).hasSize(2);
            }
        }
    }

    @Test
    void aRunningRunIsCancelledThroughTheOtherNode() throws Exception {
        try (Nodes nodes = new Nodes(dir, "two_node_cancel")) {
            Path pidFile = dir.resolve("cancel.pid");
            long id = nodes.a
                    .trigger("sleeper", "{\"seconds\":120,\"pid_file\":\"" + pidFile + "\"}")
                    .get("id")
                    .asLong();
            nodes.a.awaitStatus(id, "running");
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            long child = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(nodes.b.run(id).get("status").asText()).isEqualTo("running");

            HttpResponse<String> cancel = nodes.b.post("/api/runs/" + id + "/cancel", "", TestEngine.TOKEN);

            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            // node-a looks for such cancels every 2 s
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> nodes.a.run(id).get("status").asText().equals("cancelled"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
            assertThat(nodes.a.log(id)).contains("Finished: CANCELLED");
        }
    }

    /** Node A and node B, sharing one database, catalog and secrets key. */
    private static final class Nodes implements AutoCloseable {
        final TestEngine a;
        final TestEngine b;

        Nodes(Path dir, String database) throws Exception {
            PostgresServer pg = PostgresServer.shared();
            String url = pg.createDatabase(database);
            Path catalog = dir.resolve("workflows");
            TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
            String shared = "database: {url: \"" + url + "\", user: " + pg.user() + "}\n" + "secretsKeyFile: "
                    + dir.resolve("secrets.key") + "\n";
            a = TestEngine.startWith(
                    Files.createDirectories(dir.resolve("a")), catalog, shared + "nodeName: node-a\n", Map.of());
            TestEngine started;
            try {
                started = TestEngine.startWith(
                        Files.createDirectories(dir.resolve("b")), catalog, shared + "nodeName: node-b\n", Map.of());
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
            b = started;
        }

        @Override
        public void close() {
            try {
                b.close();
            } finally {
                a.close();
            }
        }
    }
}
