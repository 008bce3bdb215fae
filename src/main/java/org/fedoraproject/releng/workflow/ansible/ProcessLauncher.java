package org.fedoraproject.releng.workflow.ansible;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts a child process (never through a shell) in a process group of its own. */
public interface ProcessLauncher {

    RunningProcess start(List<String> argv, Path workDir, Map<String, String> environment) throws IOException;

    /**
     * Stops what is left of a group this launcher started, perhaps in an earlier life of the engine
     * on this machine: TERM, then KILL after {@code grace}. Processes that merely reuse its number
     * are left alone. True once nothing of the group is left.
     */
    boolean stop(ProcessGroup group, Duration grace) throws InterruptedException;

    /** A started child; stopping it stops its whole process group. */
    interface RunningProcess {

        long pid();

        /** The process group it leads, as it can be recognised after a restart; empty when it has none. */
        default Optional<ProcessGroup> group() {
            return Optional.empty();
        }

        /** Standard output and standard error, merged. */
        InputStream output();

        /** Waits up to {@code timeout}; true when it has exited. */
        boolean waitFor(Duration timeout) throws InterruptedException;

        /**
         * As {@link #waitFor}, and then also for what is left in its process group (a task's
         * background child may outlive Ansible): true when all of it has exited within {@code timeout}.
         */
        default boolean waitForGroup(Duration timeout) throws InterruptedException {
            return waitFor(timeout);
        }

        int exitCode();

        /** SIGTERM to the process group. */
        void terminate();

        /** SIGKILL to the process group. */
        void kill();
    }
}
