package org.fedoraproject.releng.workflow.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private channel from the callback plugin to the engine: a Unix socket in the run's 0700
 * directory (so only the engine's user can reach it), one JSON object per line. One thread
 * accepts the plugin's one connection and hands each event to the {@link EventSink}; whatever
 * goes wrong on the way becomes a {@link EventSink#problem}, never a failed run.
 */
public final class EventChannel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventChannel.class);
    /** Above the plugin's own limit on results (1 MiB) plus the event's other fields. */
    static final int MAX_FRAME = 2 * 1024 * 1024;
    /** What the kernel accepts in sun_path, less the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    static final String PLUGIN = "releng_events.py";
    static final String SOCKET_VARIABLE = "RELENG_EVENTS_SOCKET";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final Path ownDirectory;
    private final Path pluginDirectory;
    private final ServerSocketChannel server;
    private final EventSink sink;
    private final long runId;
    private volatile boolean connected;
    private volatile SocketChannel client;
    private Thread reader;

    private EventChannel(Path scratch, EventSink sink, long runId) throws IOException {
        this.sink = sink;
        this.runId = runId;
        this.pluginDirectory = Files.createDirectory(scratch.resolve("callback_plugins"));
        Files.write(pluginDirectory.resolve(PLUGIN), Plugin.BYTES);
        Path inScratch = scratch.resolve("events.sock");
        if (inScratch.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            this.ownDirectory = null;
            this.socket = inScratch;
        } else {
            // a deep data directory: the socket goes to a private directory of its own instead
            this.ownDirectory = Files.createTempDirectory(
                    "releng-events-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            this.socket = ownDirectory.resolve("s");
        }
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 1);
    }

    /** The plugin's source, read from the jar once: every run writes it again. */
    private static final class Plugin {
        static final byte[] BYTES = read();

        private static byte[] read() {
            try (InputStream plugin = EventChannel.class.getResourceAsStream("/ansible/" + PLUGIN)) {
                if (plugin == null) {
                    throw new IllegalStateException("the callback plugin is missing from the engine's jar");
                }
                return plugin.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Installs the plugin in {@code scratch} and listens for it. */
    public static EventChannel open(Path scratch, EventSink sink, long runId) throws IOException {
        return new EventChannel(scratch, sink, runId);
    }

    /** What ansible-playbook needs in its environment to load the plugin and find the socket. */
    public Map<String, String> environment() {
        return Map.of(
                // the plugin needs no enabling: a catalog's own callbacks_enabled stays as it is
                "ANSIBLE_CALLBACK_PLUGINS",
                pluginDirectory + ":~/.ansible/plugins/callback:/usr/share/ansible/plugins/callback",
                SOCKET_VARIABLE,
                socket.toString());
    }

    public Path socket() {
        return socket;
    }

    /** Starts reading; call just before the playbook starts. */
    public void start() {
        sink.starting();
        reader = new Thread(this::read, "run-" + runId + "-events");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        boolean orderly = false;
        try (SocketChannel accepted = server.accept();
                InputStream in = Channels.newInputStream(accepted)) {
            client = accepted;
            connected = true;
            orderly = frames(in);
        } catch (IOException e) {
            if (server.isOpen()) {
                sink.problem("the event channel failed: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("run {}: recording events failed", runId, e);
            sink.problem("recording the events failed: " + e.getMessage());
        } finally {
            if (!connected) {
                sink.problem("the callback plugin never connected");
            } else if (!orderly) {
                sink.problem("the playbook ended without closing its event stream (it was stopped, or killed its"
                        + " callback)");
            }
            sink.closed(orderly);
        }
    }

    /** Reads lines until the end; true when the plugin said it was done. */
    private boolean frames(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean oversized = false;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != '\n') {
                    continue;
                }
                if (!oversized) {
                    line.write(buffer, from, i - from);
                    if (line.size() > MAX_FRAME) {
                        sink.problem("an event larger than " + MAX_FRAME / 1024 + " KiB was dropped");
                    } else if (frame(line.toByteArray())) {
                        return true;
                    }
                }
                line.reset();
                oversized = false;
                from = i + 1;
            }
            if (!oversized) {
                line.write(buffer, from, n - from);
                if (line.size() > MAX_FRAME) {
                    // drop it as it comes rather than hold it: the rest of it is skipped up to its newline
                    oversized = true;
                    line.reset();
                    sink.problem("an event larger than " + MAX_FRAME / 1024 + " KiB was dropped");
                }
            }
        }
        return false;
    }

    /** One line; true when it is the plugin's last. */
    private boolean frame(byte[] bytes) {
        if (bytes.length == 0) {
            return false;
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            sink.problem("a malformed event was dropped: " + e.getOriginalMessage());
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            sink.problem("a malformed event was dropped: not a JSON object with a type");
            return false;
        }
        String type = node.get("type").asText();
        if (type.equals("releng_end")) {
            return true;
        }
        if (type.equals("releng_error")) {
            sink.problem("the callback plugin: " + node.path("message").asText());
            return false;
        }
        sink.event((ObjectNode) node);
        return false;
    }

    /** After the playbook has ended: waits up to {@code drain} for the last events to be handed on. */
    public void finish(Duration drain) throws InterruptedException {
        if (reader == null) {
            return;
        }
        reader.join(drain.toMillis());
        if (reader.isAlive()) {
            // nobody connected, or a child still holds the socket: stop listening
            closeQuietly();
            reader.join(drain.toMillis());
        }
    }

    private void closeQuietly() {
        try {
            server.close();
            SocketChannel open = client;
            if (open != null) {
                open.close();
            }
        } catch (IOException e) {
            log.debug("run {}: closing the event socket: {}", runId, e.getMessage());
        }
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Files.deleteIfExists(socket);
            if (ownDirectory != null) {
                Files.deleteIfExists(ownDirectory);
            }
        } catch (IOException e) {
            log.warn("run {}: cannot remove the event socket {}: {}", runId, socket, e.getMessage());
        }
    }
}
