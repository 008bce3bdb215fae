package org.fedoraproject.releng.workflow.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recognising a recorded process group after a restart, with real processes: what is left of it is
 * stopped, and a process that merely has the recorded number (pid reuse) is left alone.
 */
class ProcessGroupsTest {

    /** The leader stays until told, so that its group is surely identified while it runs (a playbook runs longer). */
    private static final String AWAIT_GO = "while [ ! -e go ]; do sleep 0.05; done";

    private final LocalProcessLauncher launcher = new LocalProcessLauncher();
    private final List<ProcessLauncher.RunningProcess> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killWhatWasStarted() {
        started.forEach(ProcessLauncher.RunningProcess::kill);
    }

    @Test
    void aStartedProcessLeadsARecognisableGroup() throws Exception {
        ProcessLauncher.RunningProcess p = start("exec sleep 60");
        ProcessGroup group = p.group().orElseThrow();

        assertThat(group.id()).isEqualTo(p.pid());
        assertThat(group.instance()).matches("[0-9a-f-]{36}/\\d+");
        assertThat(ProcessGroups.survivors(group))
                .extracting(ProcessTable.Entry::pid)
                .containsExactly(p.pid());
    }

    @Test
    void whatIsLeftOfAGroupIsStoppedAfterItsLeaderHasGone() throws Exception {
        Path child = dir.resolve("child.pid");
        ProcessLauncher.RunningProcess leader = start("sleep 60 & echo $! > " + child + "; " + AWAIT_GO);
        ProcessGroup group = leader.group().orElseThrow();
        Files.createFile(dir.resolve("go"));
        assertThat(leader.waitFor(Duration.ofSeconds(10))).isTrue();
        long orphan = awaitPid(child);
        assertThat(running(orphan)).isTrue();

        assertThat(launcher.stop(group, Duration.ofSeconds(5))).isTrue();

        assertThat(running(orphan)).isFalse();
    }

    @Test
    void aMemberThatIgnoresTermIsKilledAfterTheGrace() throws Exception {
        // TERM must arrive after the trap is set, or it simply ends the shell
        Path trapped = dir.resolve("trapped");
        ProcessLauncher.RunningProcess p = start("trap '' TERM; : > " + trapped + "; while :; do sleep 1; done");
        ProcessGroup group = p.group().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(trapped));

        long before = System.nanoTime();
        assertThat(launcher.stop(group, Duration.ofMillis(500))).isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(p.waitFor(Duration.ofSeconds(5))).isTrue();
        assertThat(ProcessGroups.survivors(group)).isEmpty();
    }

    @Test
    void aProcessWithTheRecordedNumberButAnotherStartTimeIsLeftAlone() throws Exception {
        ProcessLauncher.RunningProcess p = start("exec sleep 60");
        ProcessGroup real = p.group().orElseThrow();
        String[] instance = real.instance().split("/");
        ProcessGroup reused = new ProcessGroup(real.id(), instance[0] + "/" + (Long.parseLong(instance[1]) - 1));

        assertThat(ProcessGroups.survivors(reused)).isEmpty();
        assertThat(launcher.stop(reused, Duration.ofMillis(100))).isTrue();

        assertThat(p.waitFor(Duration.ofMillis(300))).as("still running").isFalse();
    }

    @Test
    void aGroupRecordedBeforeARebootIsLeftAlone() throws Exception {
        ProcessLauncher.RunningProcess p = start("exec sleep 60");
        ProcessGroup real = p.group().orElseThrow();
        ProcessGroup otherBoot = new ProcessGroup(
                real.id(),
                "00000000-0000-0000-0000-000000000000/" + real.instance().split("/")[1]);

        assertThat(launcher.stop(otherBoot, Duration.ofMillis(100))).isTrue();

        assertThat(p.waitFor(Duration.ofMillis(300))).as("still running").isFalse();
    }

    @Test
    void waitingForTheGroupWaitsForAChildThatOutlivesTheLeader() throws Exception {
        Path child = dir.resolve("child.pid");
        ProcessLauncher.RunningProcess p = start("sleep 1 & echo $! > " + child + "; " + AWAIT_GO);
        assertThat(p.group()).isPresent();
        Files.createFile(dir.resolve("go"));

        assertThat(p.waitForGroup(Duration.ofSeconds(20))).isTrue();

        assertThat(running(awaitPid(child))).isFalse();
    }

    private ProcessLauncher.RunningProcess start(String script) throws Exception {
        ProcessLauncher.RunningProcess p = launcher.start(List.of("/bin/sh", "-c", script), dir, Map.of());
        started.add(p);
        return p;
    }

    /** Exists and is no zombie: an orphan killed here may wait a while for init to reap it. */
    private static boolean running(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        return !text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
    }

    private static long awaitPid(Path file) throws Exception {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        return Long.parseLong(Files.readString(file).strip());
    }
}
