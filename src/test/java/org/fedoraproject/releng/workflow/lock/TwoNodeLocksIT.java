package org.fedoraproject.releng.workflow.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine nodes on one PostgreSQL never run two holders of a lock at once, and a run waiting
 * on one node for a lock held on the other starts when it is released.
 */
class TwoNodeLocksIT {

    @TempDir
    Path dir;

    @Test
    void runsSharingALockOnTwoNodesNeverOverlap() throws Exception {
        Path marks = dir.resolve("marks");
        try (Nodes nodes = new Nodes(dir, "two_node_locks")) {
            List<CompletableFuture<Long>> triggered = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                TestEngine node = i % 2 == 0 ? nodes.a : nodes.b;
                String workflow = i % 3 == 0 ? "push-marks" : "compose-marks";
                triggered.add(CompletableFuture.supplyAsync(() -> node.trigger(workflow, Marks.params(marks, null))
                        .get("id")
                        .asLong()));
            }
            List<Long> ids = new ArrayList<>();
            for (CompletableFuture<Long> run : triggered) {
                long id = run.get();
                ids.add(id);
                JsonNode done = nodes.a.awaitFinal(id);
                assertThat(done.get("status").asText()).as("run %d", id).isEqualTo("succeeded");
            }
            assertThat(Marks.inTurn(marks)).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void aRunWaitingOnOneNodeStartsWhenTheOtherReleasesTheLock() throws Exception {
        Path marks = dir.resolve("marks");
        Path release = dir.resolve("release");
        try (Nodes nodes = new Nodes(dir, "two_node_lock_wake")) {
            long holder = nodes.a
                    .trigger("compose-marks", Marks.params(marks, release))
                    .get("id")
                    .asLong();
            nodes.a.awaitStatus(holder, "running");
            long waiting = nodes.b
                    .trigger("push-marks", Marks.params(marks, null))
                    .get("id")
                    .asLong();

            JsonNode seen = nodes.b.run(waiting);
            assertThat(seen.get("status").asText()).isEqualTo("queued");
            assertThat(seen.get("waitingFor").get("run").get("id").asLong()).isEqualTo(holder);

            Files.writeString(release, "go");

            assertThat(nodes.b.awaitFinal(waiting).get("status").asText()).isEqualTo("succeeded");
            assertThat(Marks.inTurn(marks)).containsExactly(holder, waiting);
        }
    }

    /** Node A and node B, sharing one database, the lock catalog and secrets key. */
    private static final class Nodes implements AutoCloseable {
        final TestEngine a;
        final TestEngine b;

        Nodes(Path dir, String database) throws Exception {
            PostgresServer pg = PostgresServer.shared();
            String url = pg.createDatabase(database);
            Path catalog = dir.resolve("workflows");
            TestEngine.copyTree(TestEngine.FIXTURES.resolve("lock-workflows"), catalog);
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
