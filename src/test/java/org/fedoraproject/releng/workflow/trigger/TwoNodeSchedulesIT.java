package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        String shared = "database: {url: \"" + url + "\", user: " + pg.user() + "}\n" + "secretsKeyFile: "
                + dir.resolve("secrets.key") + "\n";
        Path homeA = Files.createDirectories(dir.resolve("a"));
        Path homeB = Files.createDirectories(dir.resolve("b"));
        List<String> seenByB;
        List<String> seenByA;
        try (TestEngine a = TestEngine.startWith(homeA, catalog, shared + "nodeName: node-a\n", Map.of());
                TestEngine b = TestEngine.startWith(homeB, catalog, shared + "nodeName: node-b\n", Map.of())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> runs(a, "").size() >= 6);
            // the schedule keeps firing between the two reads; bounding A's read to the runs B saw
            // makes the two lists the same snapshot of the shared history
            seenByB = runs(b, "");
            long newest = Long.parseLong(seenByB.get(0).split(" ", 2)[0]);
            seenByA = runs(a, "&before=" + (newest + 1));
        }
        // both nodes serve the same history from the shared database
        assertThat(seenByA).containsExactlyElementsOf(seenByB);
        List<String> dueTimes = seenByB.stream().map(r -> r.split(" ", 2)[1]).toList();
        assertThat(dueTimes).hasSizeGreaterThanOrEqualTo(6);
        assertThat(new HashSet<>(dueTimes)).as("one run per due time").hasSameSizeAs(dueTimes);
    }

    /** The node's history of the schedule, newest first, as "id cause-detail". */
    private static List<String> runs(TestEngine engine, String page) {
        List<String> result = new ArrayList<>();
        engine.read(engine.get("/api/runs?workflow=every-two-seconds&limit=500" + page)
                        .body())
                .get("runs")
                .forEach(r -> result.add(r.get("id").asLong() + " "
                        + r.get("cause").get("detail").asText()));
        return result;
    }
}
