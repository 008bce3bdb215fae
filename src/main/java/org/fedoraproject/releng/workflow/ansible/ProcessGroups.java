package org.fedoraproject.releng.workflow.ansible;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds what is left of a recorded process group, signals it, and waits for it to end. */
final class ProcessGroups {

    private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);
    private static final Path KILL = Path.of("/bin/kill");
    private static final Duration POLL = Duration.ofMillis(50);

    private ProcessGroups() {}

    /** The group that the just-started {@code leader} leads, recognisable later; empty off Linux. */
    static Optional<ProcessGroup> identify(long leader) {
        return ProcessTable.instanceOf(leader).map(instance -> new ProcessGroup(leader, instance));
    }

    /**
     * The live processes of {@code group}, or none when the number now belongs to someone else.
     * After a reboot (another boot id) everything the engine started is gone. A living leader must
     * have the recorded start time: Linux gives a pid number out again only once no process, group
     * or session uses it, so a leader with another start time means our group ended entirely. With
     * the leader gone and members left (Ansible's workers, a task's background child), those members
     * are what kept the number taken since, so they are the leader's group; they cannot have
     * started before it.
     */
    static List<ProcessTable.Entry> survivors(ProcessGroup group) {
        String[] recorded = group.instance().split("/", 2);
        if (recorded.length != 2
                || !ProcessTable.bootId().map(recorded[0]::equals).orElse(false)) {
            return List.of();
        }
        long startTicks;
        try {
            startTicks = Long.parseLong(recorded[1]);
        } catch (NumberFormatException e) {
            return List.of();
        }
        Optional<ProcessTable.Entry> leader = ProcessTable.entry(group.id());
        if (leader.isPresent() && leader.get().startTicks() != startTicks) {
            return List.of();
        }
        return ProcessTable.membersOf(group.id()).stream()
                .filter(e -> e.startTicks() >= startTicks)
                .toList();
    }

    /** TERM to every member, then KILL to what is left after {@code grace}; true once none is left. */
    static boolean stop(ProcessGroup group, Duration grace) throws InterruptedException {
        List<ProcessTable.Entry> left = survivors(group);
        if (left.isEmpty()) {
            return true;
        }
        log.info(
                "process group {}: {} process(es) left running by an earlier engine; stopping them",
                group.id(),
                left.size());
        signal(group.id(), "TERM");
        if (awaitGone(group, grace)) {
            return true;
        }
        signal(group.id(), "KILL");
        return awaitGone(group, Duration.ofSeconds(10));
    }

    /** Polls: processes that are not our children give no notice when they end. */
    static boolean awaitGone(ProcessGroup group, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!survivors(group).isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }

    static void signal(long group, String name) {
        try {
            Process kill = new ProcessBuilder(KILL.toString(), "-s", name, "--", "-" + group)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.warn("cannot signal process group {}: {}", group, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
