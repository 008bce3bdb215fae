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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches through {@code setsid} so that the child leads a new process group (its pid is the
 * group id) and signals reach everything it started: Ansible forks workers, and tasks fork more.
 */
public final class LocalProcessLauncher implements ProcessLauncher {

    private static final Logger log = LoggerFactory.getLogger(LocalProcessLauncher.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path KILL = Path.of("/bin/kill");

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
        return new Child(builder.start(), ownGroup);
    }

    private static final class Child implements RunningProcess {
        private final Process process;
        private final boolean ownGroup;

        Child(Process process, boolean ownGroup) {
            this.process = process;
            this.ownGroup = ownGroup;
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
            if (!ownGroup) {
                return;
            }
            try {
                Process kill = new ProcessBuilder(KILL.toString(), "-s", name, "--", "-" + process.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                kill.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                log.warn("cannot signal process group {}: {}", process.pid(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
