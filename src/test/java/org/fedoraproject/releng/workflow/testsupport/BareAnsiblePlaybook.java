package org.fedoraproject.releng.workflow.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code /usr/bin/ansible-playbook} on the shipped catalog the way the engine does: working
 * directory {@code workflows/} (so its ansible.cfg applies), localhost with a local connection,
 * and the extra vars from a JSON file. Without the engine, so catalog content can be proven alone.
 */
public final class BareAnsiblePlaybook {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Exit status and the combined stdout and stderr. */
    public record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private BareAnsiblePlaybook() {}

    public static Path workflowsDir() {
        return ReleaseFakes.projectDir().resolve("workflows");
    }

    /** {@code ansible-playbook -i localhost, -c local PLAYBOOK -e @vars.json [extraArgs]}. */
    public static Result run(String playbook, Map<String, ?> extraVars, String... extraArgs) {
        try {
            Path vars = Files.createTempFile("extra-vars", ".json");
            try {
                Files.writeString(vars, JSON.writeValueAsString(extraVars));
                List<String> command = new ArrayList<>(List.of(
                        "/usr/bin/ansible-playbook", "-i", "localhost,", "-c", "local", playbook,
                        "-e", "@" + vars));
                command.addAll(List.of(extraArgs));
                return exec(command);
            } finally {
                Files.deleteIfExists(vars);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result syntaxCheck(String playbook) {
        return exec(List.of("/usr/bin/ansible-playbook", "--syntax-check", "-i", "localhost,", playbook));
    }

    private static Result exec(List<String> command) {
        try {
            Path output = Files.createTempFile("ansible-output", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workflowsDir().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().put("ANSIBLE_NOCOLOR", "1");
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " ran longer than " + TIMEOUT);
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
