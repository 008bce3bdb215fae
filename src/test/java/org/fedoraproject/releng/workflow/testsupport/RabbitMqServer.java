package org.fedoraproject.releng.workflow.testsupport;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private RabbitMQ node for tests, started as {@code reference/services.md} describes: as the
 * {@code rabbitmq} system user (the server refuses root), on free loopback ports, with its data in
 * a temporary directory and no plugins. It gets its own {@code epmd} port so that stopping it
 * never disturbs another node on the machine.
 *
 * <pre>{@code
 * try (RabbitMqServer broker = RabbitMqServer.launch()) {
 *     String url = broker.amqpUrl();    // amqp://guest:guest@127.0.0.1:<port>/%2F
 *     broker.stop();                    // an outage; data stays
 *     broker.start();                   // back, with durable queues and persistent messages
 * }
 * }</pre>
 *
 * A missing {@code rabbitmq-server} makes the test fail: {@code apt-get install -y rabbitmq-server}.
 */
public final class RabbitMqServer implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** Files for a TLS listener: the CA that client certificates must chain to, and the server's own. */
    public record Tls(Path caFile, Path certFile, Path keyFile) {}

    private final Path dir;
    private final int port;
    private final int distPort;
    private final int epmdPort;
    private final int tlsPort;
    private final String nodeName;
    private final Thread shutdownHook = new Thread(this::close, "rabbitmq test node cleanup");
    private Process server;
    private boolean closed;

    private RabbitMqServer(Tls tls) throws IOException {
        if (!Files.isExecutable(BIN.resolve("rabbitmq-server"))) {
            throw new AssertionError(
                    BIN.resolve("rabbitmq-server") + " is missing: apt-get install -y rabbitmq-server");
        }
        dir = Files.createTempDirectory("rabbitmq-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int[] ports = freePorts(tls == null ? 3 : 4);
        port = ports[0];
        distPort = ports[1];
        epmdPort = ports[2];
        tlsPort = tls == null ? -1 : ports[3];
        nodeName = "test-" + port + "@localhost";
        // With TLS, also the plugin that logs clients in by their certificate's CN (SASL EXTERNAL),
        // as Fedora's brokers do.
        Files.writeString(dir.resolve("plugins"), tls == null ? "[].\n" : "[rabbitmq_auth_mechanism_ssl].\n");
        Files.writeString(dir.resolve("rabbitmq.conf"), config(tls));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a new node and waits until it accepts AMQP connections. */
    public static RabbitMqServer launch() {
        return launch(null);
    }

    /** As {@link #launch()}, with an extra TLS listener that requires a client certificate. */
    public static RabbitMqServer launch(Tls tls) {
        RabbitMqServer broker;
        try {
            broker = new RabbitMqServer(tls);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a RabbitMQ directory", e);
        }
        try {
            broker.start();
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public int port() {
        return port;
    }

    /** The TLS port, or -1 when the node was launched without TLS. */
    public int tlsPort() {
        return tlsPort;
    }

    int epmdPort() {
        return epmdPort;
    }

    public String amqpUrl() {
        return "amqp://guest:guest@127.0.0.1:" + port + "/%2F";
    }

    public String amqpsUrl() {
        return "amqps://guest:guest@127.0.0.1:" + tlsPort + "/%2F";
    }

    /** Starts the node (again, on the same data) and waits until it accepts AMQP connections. */
    /** A plain client connection to this node as guest, named for the broker's connection list. */
    public Connection connect(String name) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(amqpUrl());
        return factory.newConnection(name);
    }

    public synchronized void start() {
        if (server != null && server.isAlive()) {
            return;
        }
        try {
            server = new ProcessBuilder(
                            "su",
                            "rabbitmq",
                            "-s",
                            "/bin/sh",
                            "-c",
                            environment() + " exec " + BIN.resolve("rabbitmq-server"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("console.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start rabbitmq-server", e);
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setConnectionTimeout(2000);
        try {
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!server.isAlive()) {
                            throw new AssertionError(
                                    "rabbitmq-server exited with " + server.exitValue() + ":\n" + consoleTail());
                        }
                        try (Connection probe = factory.newConnection("readiness probe")) {
                            return probe.isOpen();
                        }
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "RabbitMQ did not accept connections on port " + port + " within " + START_TIMEOUT.toSeconds()
                            + " s:\n" + consoleTail(),
                    e);
        }
    }

    /** Adds a virtual host, such as Fedora's {@code /pubsub}; only users given it may use it. */
    public void addVirtualHost(String vhost) {
        rabbitmqctl("add_vhost", vhost);
    }

    /**
     * Adds a user that may do everything on {@code vhost}; with TLS, a client whose certificate's
     * CN is {@code name} logs in as this user without a password.
     */
    public void addUser(String name, String password, String vhost) {
        rabbitmqctl("add_user", name, password);
        rabbitmqctl("set_permissions", "-p", vhost, name, ".*", ".*", ".*");
    }

    private void rabbitmqctl(String... args) {
        StringBuilder command =
                new StringBuilder(environment()).append(" exec ").append(BIN.resolve("rabbitmqctl"));
        for (String arg : args) {
            command.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        try {
            Process ctl = new ProcessBuilder("su", "rabbitmq", "-s", "/bin/sh", "-c", command.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ctl.waitFor(60, TimeUnit.SECONDS) || ctl.exitValue() != 0) {
                throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run rabbitmqctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops the node as an operator would ({@code rabbitmqctl stop}); its data stays for {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            Process ctl = new ProcessBuilder(
                            "su",
                            "rabbitmq",
                            "-s",
                            "/bin/sh",
                            "-c",
                            environment() + " exec " + BIN.resolve("rabbitmqctl") + " stop")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("console.log").toFile()))
                    .start();
            ctl.waitFor(60, TimeUnit.SECONDS);
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                kill(server.toHandle());
            }
        } catch (IOException e) {
            kill(server.toHandle());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(server.toHandle());
        } finally {
            server = null;
        }
    }

    /** Stops the node, ends its epmd and removes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            killEpmd();
            deleteDirectory();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // called from the hook itself
            }
        }
    }

    private String environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("plugins").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString());
        env.put("HOME", dir.toString());
        StringBuilder exports = new StringBuilder("export");
        env.forEach(
                (k, v) -> exports.append(' ').append(k).append("='").append(v).append('\''));
        return exports.append(';').toString();
    }

    private String config(Tls tls) throws IOException {
        StringBuilder conf = new StringBuilder("loopback_users = none\n");
        if (tls != null) {
            conf.append("listeners.ssl.1 = 127.0.0.1:")
                    .append(tlsPort)
                    .append('\n')
                    .append("ssl_options.cacertfile = ")
                    .append(readable(tls.caFile(), "ca.pem"))
                    .append('\n')
                    .append("ssl_options.certfile = ")
                    .append(readable(tls.certFile(), "server.pem"))
                    .append('\n')
                    .append("ssl_options.keyfile = ")
                    .append(readable(tls.keyFile(), "server.key"))
                    .append('\n')
                    .append("ssl_options.verify = verify_peer\n")
                    .append("ssl_options.fail_if_no_peer_cert = true\n")
                    .append("auth_mechanisms.1 = PLAIN\n")
                    .append("auth_mechanisms.2 = AMQPLAIN\n")
                    .append("auth_mechanisms.3 = EXTERNAL\n")
                    .append("ssl_cert_login_from = common_name\n");
        }
        return conf.toString();
    }

    /** A copy the rabbitmq user can read. */
    private Path readable(Path source, String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        return copy;
    }

    private void killEpmd() {
        String marker = "ERL_EPMD_PORT=" + epmdPort;
        ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/epmd")).orElse(false))
                .filter(p -> environOf(p.pid()).contains(marker))
                .forEach(RabbitMqServer::kill);
    }

    private static List<String> environOf(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    private static void kill(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("console.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
