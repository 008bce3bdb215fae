package org.fedoraproject.releng.workflow.ansible;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts a child process (never through a shell) in a process group of its own. */
public interface ProcessLauncher {

    RunningProcess start(List<String> argv, Path workDir, Map<String, String> environment) throws IOException;

    /** A started child; stopping it stops its whole process group. */
    interface RunningProcess {

        long pid();

        /** Standard output and standard error, merged. */
        InputStream output();

        /** Waits up to {@code timeout}; true when it has exited. */
        boolean waitFor(Duration timeout) throws InterruptedException;

        int exitCode();

        /** SIGTERM to the process group. */
        void terminate();

        /** SIGKILL to the process group. */
        void kill();
    }
}
