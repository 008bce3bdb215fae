package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.testsupport.ChildEngine;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat: an engine that dies (SIGKILL, OOM killer, power cut of the JVM only) or is stopped
 * (SIGTERM from systemd) leaves a playbook running unsupervised beside its successor (two
 * "limit: 1" composes at once), or leaves the extra-vars file with the run's secrets in the data
 * directory. Each test drives a real engine in a child JVM and a real {@code ansible-playbook}.
 */
class CrashLeavesNothingIT {

    private static final Path CATALOG = TestEngine.FIXTURES.resolve("crash-workflows");
    private static final String SECRET = "crash-secret-5f1e0c9a2b7d";

    @TempDir
    Path home;

    /** Process groups the tests saw, killed at the end whatever the engine did, so none outlives a test. */
    private final List<Long> groups = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws Exception {
        for (long group : groups) {
            new ProcessBuilder("/bin/kill", "-s", "KILL", "--", "-" + group)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        }
    }

    @Test
    void aLostRunsProcessGroupIsStoppedBeforeTheQueuedRunOfItsWorkflowStarts() throws Exception {
        Path marker = home.resolve("marker");
        Path pidFile = home.resolve("first.pid");
        long first;
        long second;
        long group;
        ChildEngine crashing = startChild();
        try {
            first = crashing.trigger(
                    "one-at-a-time",
                    "{\"seconds\":120,\"stubborn\":true,\"marker\":\"" + marker + "\",\"pid_file\":\"" + pidFile
                            + "\"}");
            group = awaitGroupOf(pidFile);
            second = crashing.trigger(
                    "one-at-a-time", "{\"seconds\":0,\"marker\":\"" + marker + "\",\"watch_group\":" + group + "}");
            assertThat(crashing.status(second)).isEqualTo("queued");
        } finally {
            crashing.kill();
        }
        assertThat(groupAlive(group))
                .as("the playbook outlives the engine that was killed")
                .isTrue();

        try (TestEngine restarted = TestEngine.startWith(home, home.resolve("workflows"), null, Map.of())) {
            assertThat(groupAlive(group))
                    .as("the restarted engine stopped the lost run's process group at start")
                    .isFalse();
            assertThat(restarted.run(first).get("status").asText()).isEqualTo("lost");
            assertThat(restarted.log(first)).containsOnlyOnce("Finished:");
            JsonNode done = restarted.awaitFinal(second);
            assertThat(done.get("status").asText()).as(restarted.log(second)).isEqualTo("succeeded");
            assertThat(Files.readString(marker))
                    .as("marker lines: start and end of each run")
                    .doesNotContain("overlap")
                    .containsOnlyOnce("end ");
        }
    }

    @Test
    void noFileUnderTheDataDirectoryHoldsASecretAfterACrashAndARestart() throws Exception {
        Path pidFile = home.resolve("secret-run.pid");
        long run;
        ChildEngine crashing = startChild();
        try {
            run = crashing.trigger(
                    "one-at-a-time",
                    "{\"seconds\":120,\"marker\":\"" + home.resolve("marker") + "\",\"pid_file\":\"" + pidFile
                            + "\",\"token\":\"" + SECRET + "\"}");
            awaitGroupOf(pidFile);
        } finally {
            crashing.kill();
        }
        Path dataDir = home.resolve("data");
        assertThat(filesHolding(dataDir, SECRET))
                .as("the crash left the secret on disk (else this test shows nothing)")
                .isNotEmpty();

        try (TestEngine restarted = TestEngine.startWith(home, home.resolve("workflows"), null, Map.of())) {
            assertThat(restarted.run(run).get("status").asText()).isEqualTo("lost");
            assertThat(filesHolding(dataDir, SECRET)).isEmpty();
        }
    }

    @Test
    void sigtermRecordsTheFinalStatusBeforeClosingTheDatabaseAndStopsTheProcessGroup() throws Exception {
        Path pidFile = home.resolve("stopped.pid");
        long run;
        long group;
        ChildEngine stopping = startChild();
        String output;
        try {
            run = stopping.trigger(
                    "one-at-a-time",
                    "{\"seconds\":120,\"stubborn\":true,\"marker\":\"" + home.resolve("marker") + "\",\"pid_file\":\""
                            + pidFile + "\",\"token\":\"" + SECRET + "\"}");
            group = awaitGroupOf(pidFile);
        } finally {
            stopping.terminate(Duration.ofSeconds(60));
            output = stopping.output();
        }
        assertThat(output).doesNotContain("Database is already closed").contains("finished: lost");
        assertThat(groupAlive(group))
                .as("SIGTERM stops the run's whole process group")
                .isFalse();
        assertThat(filesHolding(home.resolve("data"), SECRET)).isEmpty();

        try (TestEngine restarted = TestEngine.startWith(home, home.resolve("workflows"), null, Map.of())) {
            JsonNode lost = restarted.run(run);
            assertThat(lost.get("status").asText()).isEqualTo("lost");
            assertThat(restarted.log(run)).containsOnlyOnce("Finished:").contains("Finished: LOST");
        }
    }

    private ChildEngine startChild() throws IOException {
        TestEngine.copyTree(CATALOG, home.resolve("workflows"));
        return ChildEngine.start(home);
    }

    /** Waits for the playbook's background child to write its pid; returns (and remembers) its process group. */
    private long awaitGroupOf(Path pidFile) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            long group = groupOf(pid).orElseThrow(() -> new AssertionError("process " + pid + " is already gone"));
            groups.add(group);
            return group;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OptionalLong groupOf(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return OptionalLong.empty();
        }
        String[] fields = Files.readString(stat).replaceAll("^.*\\) ", "").split(" ");
        return OptionalLong.of(Long.parseLong(fields[2]));
    }

    /** True while any live (not zombie) process is in the group. */
    private static boolean groupAlive(long group) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    String[] fields = Files.readString(p.resolve("stat"))
                            .replaceAll("^.*\\) ", "")
                            .split(" ");
                    return Long.parseLong(fields[2]) == group && !fields[0].equals("Z");
                } catch (IOException | RuntimeException e) {
                    return false; // it ended while we looked
                }
            });
        }
    }

    private static List<Path> filesHolding(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> contains(read(f), needle))
                    .toList();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0]; // removed while we walked: it holds nothing any more
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
