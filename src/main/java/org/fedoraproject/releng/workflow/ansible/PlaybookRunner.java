package org.fedoraproject.releng.workflow.ansible;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.log.SecretMasker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one playbook to its end: writes the extra vars to a private file (every value marked
 * unsafe, see {@link UnsafeExtraVars}), starts {@code ansible-playbook}, copies its output
 * (secrets masked) into the log as it comes, and stops the whole process group on timeout or
 * cancel (TERM, then KILL after the grace period).
 */
public final class PlaybookRunner {

    private static final Logger log = LoggerFactory.getLogger(PlaybookRunner.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    public record Request(
            long runId,
            Path workDir,
            Path playbook,
            Optional<Path> inventory,
            ObjectNode extraVars,
            List<String> secrets,
            Duration timeout,
            Path scratchDir,
            LaunchOptions options,
            List<String> vaultIds) {

        public Request {
            vaultIds = List.copyOf(vaultIds);
        }

        public Request(
                long runId,
                Path workDir,
                Path playbook,
                Optional<Path> inventory,
                ObjectNode extraVars,
                List<String> secrets,
                Duration timeout,
                Path scratchDir) {
            this(
                    runId,
                    workDir,
                    playbook,
                    inventory,
                    extraVars,
                    secrets,
                    timeout,
                    scratchDir,
                    LaunchOptions.NONE,
                    List.of());
        }
    }

    public enum Ending {
        SUCCEEDED,
        FAILED,
        TIMED_OUT,
        CANCELLED
    }

    public record Outcome(Ending ending, Integer exitCode) {}

    /** Asked every tick while the playbook runs; true stops it as cancelled. */
    public interface StopSignal {
        boolean stopRequested();
    }

    /** Told the process group as soon as the playbook has started, so that it can be recorded with the run. */
    public interface StartListener {
        void started(ProcessGroup group);

        StartListener NONE = group -> {};
    }

    private final ProcessLauncher launcher;
    private final String executable;
    private final Duration grace;
    private final Clock clock;
    private final Map<String, Path> vaultPasswordFiles;

    public PlaybookRunner(ProcessLauncher launcher, String executable, Duration grace, Clock clock) {
        this(launcher, executable, grace, clock, Map.of());
    }

    /** {@code vaultPasswordFiles}: vault id to the file holding its password (the engine's configuration). */
    public PlaybookRunner(
            ProcessLauncher launcher,
            String executable,
            Duration grace,
            Clock clock,
            Map<String, Path> vaultPasswordFiles) {
        this.vaultPasswordFiles = Map.copyOf(vaultPasswordFiles);
        this.launcher = launcher;
        this.executable = executable;
        this.grace = grace;
        this.clock = clock;
    }

    public Outcome run(Request r, OutputStream out, StopSignal stop) throws IOException, InterruptedException {
        return run(r, out, stop, StartListener.NONE);
    }

    public Outcome run(Request r, OutputStream out, StopSignal stop, StartListener listener)
            throws IOException, InterruptedException {
        return run(r, out, stop, listener, EventSink.NONE);
    }

    /** As above, with the playbook's events sent to {@code events} through the engine's callback plugin. */
    public Outcome run(Request r, OutputStream out, StopSignal stop, StartListener listener, EventSink events)
            throws IOException, InterruptedException {
        Files.createDirectories(r.scratchDir().getParent());
        Files.createDirectory(
                r.scratchDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        EventChannel channel = null;
        try {
            Path vars = r.scratchDir().resolve("extra-vars.yml");
            // the one value Ansible must evaluate, and it is the engine's: the rest is data
            Map<String, String> expressions = r.inventory().isEmpty()
                    ? Map.of("ansible_python_interpreter", "{{ ansible_playbook_python }}")
                    : Map.of();
            Files.createFile(vars, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(vars, UnsafeExtraVars.yaml(r.extraVars(), expressions), StandardCharsets.UTF_8);
            List<String> secrets = new ArrayList<>(r.secrets());
            List<PlaybookInvocation.VaultId> vaultIds =
                    VaultPasswords.copy(vaultFiles(r.vaultIds()), r.scratchDir(), secrets);
            PlaybookInvocation invocation =
                    new PlaybookInvocation(executable, r.playbook(), r.inventory(), vars, r.options(), vaultIds);
            List<String> argv = invocation.commandLine();
            line(out, "$ cd " + r.workDir());
            line(out, "$ " + String.join(" ", argv));
            out.flush();
            Path tmp = Files.createDirectory(r.scratchDir().resolve("tmp"));
            Map<String, String> environment = new java.util.HashMap<>(environment(tmp));
            if (events != EventSink.NONE) {
                channel = EventChannel.open(r.scratchDir(), events, r.runId());
                environment.putAll(channel.environment());
                channel.start();
            }
            ProcessLauncher.RunningProcess process = launcher.start(argv, r.workDir(), environment);
            process.group().ifPresent(group -> tell(listener, group, r.runId()));
            Thread pump = pump(process, out, new SecretMasker(secrets), r.runId());
            Ending stopped;
            try {
                stopped = supervise(process, r.timeout(), stop);
            } catch (InterruptedException e) {
                // the engine gives up waiting (shutdown ran out of time): no playbook goes on unsupervised
                process.kill();
                throw e;
            }
            pump.join(OUTPUT_DRAIN.toMillis());
            if (pump.isAlive()) {
                log.warn(
                        "run {}: output still open {} after the playbook ended; no longer reading it",
                        r.runId(),
                        OUTPUT_DRAIN);
            }
            if (channel != null) {
                channel.finish(OUTPUT_DRAIN);
            }
            int exit = process.exitCode();
            Ending ending = stopped != null ? stopped : exit == 0 ? Ending.SUCCEEDED : Ending.FAILED;
            return new Outcome(ending, exit);
        } finally {
            if (channel != null) {
                channel.close();
            }
            deleteTree(r.scratchDir());
        }
    }

    private Map<String, Path> vaultFiles(List<String> ids) throws IOException {
        Map<String, Path> files = new java.util.TreeMap<>();
        for (String id : ids) {
            Path file = vaultPasswordFiles.get(id);
            if (file == null) {
                // the catalog refuses such a definition; this covers one loaded under another configuration
                throw new IOException("vault id `" + id + "` has no password file in ansible.vaultPasswordFiles");
            }
            files.put(id, file);
        }
        return files;
    }

    /** Once started, the playbook must be supervised whatever happens to the recording. */
    private static void tell(StartListener listener, ProcessGroup group, long runId) {
        try {
            listener.started(group);
        } catch (RuntimeException e) {
            log.warn(
                    "run {}: recording process group {} failed; after a crash it will not be stopped: {}",
                    runId,
                    group.id(),
                    e.getMessage());
        }
    }

    /** Stops what is left of a playbook that an earlier life of this engine started here. */
    public boolean stopLeftover(ProcessGroup group) throws InterruptedException {
        return launcher.stop(group, grace);
    }

    private Map<String, String> environment(Path tmp) {
        return Map.of(
                "ANSIBLE_NOCOLOR", "1",
                "ANSIBLE_FORCE_COLOR", "0",
                "PYTHONUNBUFFERED", "1",
                "ANSIBLE_RETRY_FILES_ENABLED", "0",
                "ANSIBLE_LOCAL_TEMP", tmp.toString());
    }

    /** Returns how the run was stopped, or null when the playbook ended by itself. */
    private Ending supervise(ProcessLauncher.RunningProcess process, Duration timeout, StopSignal stop)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        while (!process.waitFor(TICK)) {
            Ending reason = null;
            if (stop.stopRequested()) {
                reason = Ending.CANCELLED;
            } else if (!clock.instant().isBefore(deadline)) {
                reason = Ending.TIMED_OUT;
            }
            if (reason != null) {
                process.terminate();
                // the whole group: a task's child that ignores TERM must not outlive the run
                if (!process.waitForGroup(grace)) {
                    process.kill();
                    process.waitFor(Duration.ofSeconds(30));
                }
                return reason;
            }
        }
        return null;
    }

    private Thread pump(ProcessLauncher.RunningProcess process, OutputStream out, SecretMasker masker, long runId) {
        Thread thread = new Thread(
                () -> {
                    char[] buffer = new char[8192];
                    try (Reader reader = new InputStreamReader(process.output(), StandardCharsets.UTF_8)) {
                        int n;
                        while ((n = reader.read(buffer)) >= 0) {
                            write(out, masker.feed(new String(buffer, 0, n)));
                            if (!reader.ready()) {
                                out.flush();
                            }
                        }
                    } catch (IOException e) {
                        log.warn("run {}: reading playbook output failed: {}", runId, e.getMessage());
                    } finally {
                        try {
                            write(out, masker.finish());
                            out.flush();
                        } catch (IOException e) {
                            log.warn("run {}: writing the log failed: {}", runId, e.getMessage());
                        }
                    }
                },
                "run-" + runId + "-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void write(OutputStream out, String text) throws IOException {
        if (!text.isEmpty()) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void line(OutputStream out, String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + " (it may hold secrets)", e);
        }
    }
}
