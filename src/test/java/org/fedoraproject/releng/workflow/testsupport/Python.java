package org.fedoraproject.releng.workflow.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code /usr/bin/python3} (the interpreter that has python3-zmq, -cryptography and
 * -openssl), and the peer scripts in {@code test-fixtures/peers/}. A missing interpreter or
 * module makes the test fail: install them with apt-get.
 */
public final class Python {

    public static final Path INTERPRETER = Path.of("/usr/bin/python3");
    public static final Path PEERS = Path.of("test-fixtures", "peers").toAbsolutePath();

    private Python() {}

    /** The outcome of a finished script. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static Result run(byte[] stdin, String... args) {
        Process process = start(args);
        CompletableFuture<byte[]> out = readAll(process.getInputStream());
        CompletableFuture<byte[]> err = readAll(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the script may have exited without reading; its exit code and stderr will say why
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("python3 " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs and fails the test unless the exit code is 0. */
    public static Result runOk(byte[] stdin, String... args) {
        Result result = run(stdin, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("python3 " + String.join(" ", args) + " exited " + result.exitCode() + ":\n"
                    + result.stderr() + result.out());
        }
        return result;
    }

    /** Starts a long-running script; the caller reads its output and ends it. */
    public static Process start(String... args) {
        if (!Files.isExecutable(INTERPRETER)) {
            throw new AssertionError(INTERPRETER + " is missing: apt-get install -y python3 python3-zmq"
                    + " python3-cryptography python3-openssl");
        }
        List<String> command = new ArrayList<>();
        command.add(INTERPRETER.toString());
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public static String peer(String script) {
        return PEERS.resolve(script).toString();
    }

    private static CompletableFuture<byte[]> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream;
                    ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
                stream.transferTo(buffer);
                return buffer.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
