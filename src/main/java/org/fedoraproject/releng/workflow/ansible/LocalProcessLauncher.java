package org.fedoraproject.releng.workflow.ansible;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Launches through {@code setsid} so that the child leads a new process group (its pid is the
 * group id) and signals reach everything it started: Ansible forks workers, and tasks fork more.
 */
public final class LocalProcessLauncher implements ProcessLauncher {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    @Override
    public RunningProcess start(List<String> argv, Path workDir, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        boolean ownGroup = Files.isExecutable(SETSID);
        if (ownGroup) {
            command.add(SETSID.toString());
        }
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        // setsid execs the command in the same process (the JVM's child is no group leader), so
        // this pid is the group's id; read its start time now, while it surely is our process (one
        // that has already ended gives no group to record: no playbook ends that fast)
        return new Child(process, ownGroup ? ProcessGroups.identify(process.pid()) : Optional.empty(), ownGroup);
    }

    @Override
    public boolean stop(ProcessGroup group, Duration grace) throws InterruptedException {
        return ProcessGroups.stop(group, grace);
    }

    private static final class Child implements RunningProcess {
        private final Process process;
        private final Optional<ProcessGroup> group;
        private final boolean ownGroup;

        Child(Process process, Optional<ProcessGroup> group, boolean ownGroup) {
            this.process = process;
            this.group = group;
            this.ownGroup = ownGroup;
        }

        @Override
        public Optional<ProcessGroup> group() {
            return group;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public InputStream output() {
            return process.getInputStream();
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean waitForGroup(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            return group.isEmpty()
                    || ProcessGroups.awaitGone(
                            group.get(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }

        @Override
        public int exitCode() {
            return process.exitValue();
        }

        @Override
        public void terminate() {
            signal("TERM");
            if (!ownGroup) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
        }

        @Override
        public void kill() {
            signal("KILL");
            // whatever left the group (setsid in a task, say) is still a descendant
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        private void signal(String name) {
            if (ownGroup) {
                ProcessGroups.signal(process.pid(), name);
            }
        }
    }
}
