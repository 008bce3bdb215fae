package org.fedoraproject.releng.workflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private PostgreSQL 15 (Debian's {@code postgresql} package) in a fresh temporary directory on a
 * free loopback port, started as reference/services.md describes. PostgreSQL refuses to run as
 * root, so a root JVM runs initdb and pg_ctl as the {@code postgres} user through {@code su}.
 *
 * <p>Starting costs about a second, so test classes normally share {@link #shared()} and take a
 * database of their own with {@link #createDatabase}. A missing installation fails the test with the
 * command that installs it: tests that need PostgreSQL never skip.
 */
public final class PostgresServer implements AutoCloseable {

    public static final Path BIN = Path.of(System.getProperty("releng.test.postgresBin", "/usr/lib/postgresql/15/bin"));
    private static final String USER = "releng";
    private static final String DEFAULT_DATABASE = "releng";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private static PostgresServer shared;

    private final Path dir;
    private final int port;
    private boolean closed;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The one server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-server-stop"));
            shared = server;
        }
        return shared;
    }

    /** Starts a server of its own (with an empty database {@code releng}); the caller closes it. */
    public static PostgresServer start() {
        for (String binary : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(BIN.resolve(binary))) {
                throw new IllegalStateException(
                        "PostgreSQL 15 is not installed: " + BIN.resolve(binary)
                                + " is missing. Install it with `apt-get install -y postgresql` (tests need it and never skip).");
            }
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("releng-pg-");
            if (runningAsRoot()) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a directory for PostgreSQL", e);
        }
        try {
            run(
                    dir,
                    BIN.resolve("initdb").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-U",
                    USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync");
            // another process may take the free port between probe and bind: try a few ports
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                try {
                    run(
                            dir,
                            BIN.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-l",
                            dir.resolve("log").toString(),
                            "-o",
                            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                            "-w",
                            "-t",
                            "60",
                            "start");
                } catch (IllegalStateException e) {
                    last = e;
                    continue;
                }
                PostgresServer server = new PostgresServer(dir, port);
                server.createDatabase(DEFAULT_DATABASE);
                return server;
            }
            throw last;
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The JDBC URL of the database {@code releng}. */
    public String jdbcUrl() {
        return url(DEFAULT_DATABASE);
    }

    public String user() {
        return USER;
    }

    public int port() {
        return port;
    }

    /** Creates an empty database (lower-case letters, digits and _) and returns its JDBC URL. */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name `" + name + "`: use lower-case letters, digits and _");
        }
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create database " + name + " on port " + port + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server ({@code pg_ctl -m fast stop}) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(
                    dir,
                    BIN.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "fast",
                    "-w",
                    "stop");
        } finally {
            deleteTree(dir);
        }
    }

    private static void run(Path dir, String... command) {
        List<String> argv = new ArrayList<>();
        if (runningAsRoot()) {
            argv.addAll(List.of("su", "postgres", "-s", "/bin/sh", "-c", shellLine(command)));
        } else {
            argv.addAll(List.of(command));
        }
        Path output = dir.resolve("command-" + System.nanoTime() + ".out");
        try {
            // the JVM's working directory may be closed to the postgres user
            Process process = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in "
                        + COMMAND_TIMEOUT_SECONDS + " s" + details(dir, output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited with " + process.exitValue() + details(dir, output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // the whole directory goes on close
            }
        }
    }

    private static String details(Path dir, Path output) {
        StringBuilder text = new StringBuilder();
        for (Path file : List.of(output, dir.resolve("log"))) {
            try {
                if (Files.exists(file)) {
                    text.append("\n--- ")
                            .append(file.getFileName())
                            .append(" ---\n")
                            .append(Files.readString(file, StandardCharsets.UTF_8)
                                    .strip());
                }
            } catch (IOException e) {
                text.append("\n(cannot read ")
                        .append(file)
                        .append(": ")
                        .append(e.getMessage())
                        .append(')');
            }
        }
        return text.toString();
    }

    /** Single-quotes each word for sh; our words are paths and options, never user input. */
    private static String shellLine(String... command) {
        StringBuilder line = new StringBuilder("exec");
        for (String word : command) {
            line.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
