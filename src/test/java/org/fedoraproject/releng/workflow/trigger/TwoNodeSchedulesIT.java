package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two engine nodes on one PostgreSQL: every due time of a schedule starts exactly one run. */
class TwoNodeSchedulesIT {

    @TempDir
    Path dir;

    @Test
    void twoNodesStartOneRunPerDueTime() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.createDatabase("two_node_schedules");
        Path catalog = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("scheduled-workflows"), catalog);
        String shared = "database: {url: \"" + url + "\", user: " + pg.user() + "}\n"
                + "secretsKeyFile: " + dir.resolve("secrets.key") + "\n";
        Path homeA = Files.createDirectories(dir.resolve("a"));
        Path homeB = Files.createDirectories(dir.resolve("b"));
        List<String> details = new ArrayList<>();
        try (TestEngine a = TestEngine.startWith(homeA, catalog, shared + "nodeName: node-a\n", Map.of());
                TestEngine b = TestEngine.startWith(homeB, catalog, shared + "nodeName: node-b\n", Map.of())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> runs(a).size() >= 6);
            for (JsonNode run : runs(b)) {
                details.add(run.get("cause").get("detail").asText());
            }
            // both nodes serve the same history from the shared database
            assertThat(runs(a).size()).isLessThanOrEqualTo(details.size() + 1);
        }
        Set<String> distinct = new HashSet<>(details);
        assertThat(details).hasSizeGreaterThanOrEqualTo(6);
        assertThat(distinct).as("one run per due time").hasSameSizeAs(details);
    }

    private static List<JsonNode> runs(TestEngine engine) {
        List<JsonNode> result = new ArrayList<>();
        engine.read(engine.get("/api/runs?workflow=every-two-seconds&limit=500").body()).get("runs").forEach(result::add);
        return result;
    }
}
