package org.fedoraproject.releng.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.testsupport.ChildEngine;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine process is killed (SIGKILL, no chance to clean up) with one run running and one
 * queued; the engine started again on the same data marks the first lost and runs the second.
 */
class EngineRestartIT {

    @TempDir
    Path home;

    @Test
    void queuedRunSurvivesACrashAndTheRunningOneIsMarkedLost() throws Exception {
        Path pidFile = home.resolve("crashed.pid");
        long running;
        long queued;
        ChildEngine crashing = ChildEngine.start(home);
        try {
            running = crashing.trigger("sleeper", "{\"seconds\":60,\"pid_file\":\"" + pidFile + "\"}");
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            queued = crashing.trigger("sleeper", "{\"seconds\":0}");
            assertThat(crashing.status(queued)).isEqualTo("queued");
        } finally {
            crashing.kill();
        }
        try (TestEngine restarted = TestEngine.startWith(home, home.resolve("workflows"), null, Map.of())) {
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

    @Test
    void aQueuedRunWhoseDispatchTheKilledNodeHadPickedStartsSoonAfterTheRestart() throws Exception {
        // as if the node died while its worker was checking the queued run against the limit
        queuedRunPickedByADeadNodeRunsAfterTheRestart("test-node", "current_timestamp");
    }

    @Test
    void aQueuedRunWhoseDispatchAVanishedNodeHadPickedRunsOnceThatPickIsFoundDead() throws Exception {
        // another node of the cluster died the same way an hour ago; db-scheduler reports the pick dead
        queuedRunPickedByADeadNodeRunsAfterTheRestart("vanished-node", "current_timestamp - interval '1' hour");
    }

    private void queuedRunPickedByADeadNodeRunsAfterTheRestart(String node, String heartbeat) throws Exception {
        Path pidFile = home.resolve("crashed.pid");
        long queued;
        ChildEngine crashing = ChildEngine.start(home);
        try {
            crashing.trigger("sleeper", "{\"seconds\":60,\"pid_file\":\"" + pidFile + "\"}");
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            queued = crashing.trigger("sleeper", "{\"seconds\":0}");
        } finally {
            crashing.kill();
        }
        try (Database db =
                Database.open(new EngineConfig.Database(null, null, null, null, 2), home.resolve("data"), Map.of())) {
            int picked = db.jdbi()
                    .withHandle(h -> h.createUpdate("update scheduled_tasks set picked = true,"
                                    + " picked_by = :node, last_heartbeat = " + heartbeat
                                    + " where task_instance = :id")
                            .bind("node", node)
                            .bind("id", Long.toString(queued))
                            .execute());
            assertThat(picked).isEqualTo(1);
        }
        try (TestEngine restarted = TestEngine.startWith(home, home.resolve("workflows"), null, Map.of())) {
            // a fresh pick of test-node's would only look dead after six missed heartbeats (a minute)
            await().atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> restarted.run(queued).get("status").asText().equals("succeeded"));
        } finally {
            killGroupOf(Long.parseLong(Files.readString(pidFile).strip()));
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
        new ProcessBuilder(List.of("/bin/kill", "-s", "KILL", "--", "-" + group))
                .start()
                .waitFor();
    }
}
