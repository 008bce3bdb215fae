package org.fedoraproject.releng.workflow.messaging.fedmsg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fedoraproject.releng.workflow.catalog.TopicPattern;
import org.fedoraproject.releng.workflow.messaging.IncomingMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Hears fedmsg: one ZeroMQ SUB socket connected to every configured endpoint, subscribed to the
 * fixed start of each fedmsg trigger's topic, read by one daemon thread. Each message is two
 * frames, topic and envelope JSON; the envelope is what filters see, its {@code msg} what the
 * playbook gets. (Signatures are checked, when configured, by the {@link IncomingMessages}
 * it is given: {@code trigger.FedmsgValidator#guarding}.) fedmsg cannot redeliver, so a message that fails is logged and dropped.
 *
 * <p>The socket belongs to its thread: a catalog change only records the wanted subscriptions,
 * and the thread applies them between two receives.
 */
public final class FedmsgSubscriber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FedmsgSubscriber.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUS = "fedmsg";
    private static final int RECEIVE_TIMEOUT_MILLIS = 250;
    /** jeromq 0.6.0 now and then leaves a new connection stuck before the ZMTP greeting; retry it soon. */
    private static final int HANDSHAKE_MILLIS = 1_000;

    private final List<String> endpoints;
    private final IncomingMessages triggers;
    private final ZContext context = new ZContext(1);
    private final Thread thread;
    private volatile Set<String> wanted = Set.of();
    private volatile boolean closed;

    public FedmsgSubscriber(List<String> endpoints, IncomingMessages triggers) {
        this.endpoints = List.copyOf(endpoints);
        this.triggers = triggers;
        this.thread = new Thread(this::receive, "fedmsg-triggers");
        thread.setDaemon(true);
        triggers.onChange(this::resync);
        resync();
    }

    public void start() {
        thread.start();
    }

    /** Prefixes to subscribe to: the fixed start of each pattern, or everything for a leading wildcard. */
    private void resync() {
        Set<String> prefixes = new TreeSet<>();
        for (String topic : triggers.topics(BUS)) {
            prefixes.add(new TopicPattern(topic).fixedPrefix());
        }
        wanted = prefixes.contains("") ? Set.of("") : Set.copyOf(prefixes);
    }

    private void receive() {
        ZMQ.Socket socket = context.createSocket(SocketType.SUB);
        socket.setHandshakeIvl(HANDSHAKE_MILLIS);
        socket.setReceiveTimeOut(RECEIVE_TIMEOUT_MILLIS);
        Set<String> subscribed = new HashSet<>();
        boolean connected = false;
        try {
            while (!closed) {
                Set<String> target = wanted;
                // nothing to hear: stay disconnected rather than subscribed to nothing
                if (!target.isEmpty() && !connected) {
                    endpoints.forEach(socket::connect);
                    connected = true;
                    log.info("fedmsg triggers connected to {}", endpoints);
                }
                for (String prefix : Set.copyOf(subscribed)) {
                    if (!target.contains(prefix)) {
                        socket.unsubscribe(prefix.getBytes(StandardCharsets.UTF_8));
                        subscribed.remove(prefix);
                    }
                }
                for (String prefix : target) {
                    if (subscribed.add(prefix)) {
                        socket.subscribe(prefix.getBytes(StandardCharsets.UTF_8));
                        log.info("fedmsg triggers subscribed to `{}`", prefix.isEmpty() ? "(everything)" : prefix);
                    }
                }
                if (target.isEmpty() && connected) {
                    endpoints.forEach(socket::disconnect);
                    connected = false;
                    log.info("fedmsg triggers: no workflow listens to fedmsg any more; disconnected");
                }
                byte[] topic = socket.recv();
                if (topic == null) {
                    continue;
                }
                if (!socket.hasReceiveMore()) {
                    log.warn(
                            "fedmsg: dropped a one-frame message (topic frame {}): fedmsg sends two frames",
                            new String(topic, StandardCharsets.UTF_8));
                    continue;
                }
                byte[] body = socket.recv();
                while (socket.hasReceiveMore()) {
                    socket.recv();
                }
                handle(new String(topic, StandardCharsets.UTF_8), body);
            }
        } catch (ZMQException e) {
            if (!closed) {
                log.error("fedmsg triggers stopped: {}", e.getMessage(), e);
            }
        } finally {
            socket.close();
        }
    }

    private void handle(String topic, byte[] body) {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(body);
        } catch (IOException e) {
            log.warn("fedmsg: dropped a message on {} whose body is not JSON: {}", topic, e.getMessage());
            return;
        }
        if (envelope == null || !envelope.isObject()) {
            log.warn("fedmsg: dropped a message on {} whose body is not a JSON object", topic);
            return;
        }
        String id = envelope.path("msg_id").isTextual() ? envelope.get("msg_id").textValue() : null;
        try {
            triggers.receive(new IncomingMessages.Message(
                    BUS,
                    topic,
                    id,
                    envelope,
                    envelope.hasNonNull("msg")
                            ? envelope.get("msg")
                            : com.fasterxml.jackson.databind.node.NullNode.getInstance()));
        } catch (RuntimeException e) {
            log.error(
                    "fedmsg: message {} on {} could not be handled and is lost (fedmsg cannot redeliver)",
                    id,
                    topic,
                    e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
