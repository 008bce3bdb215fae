package org.fedoraproject.releng.workflow.messaging.fedmsg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.fedoraproject.releng.workflow.config.FedmsgConfig;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.messaging.BusPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Publishes to fedmsg over a ZeroMQ PUB socket: two frames, the full topic and the envelope JSON,
 * sent without blocking. In passive mode the socket binds {@code bind} and consumers connect; in
 * active mode it connects to a fedmsg-relay's inbound endpoint {@code relay}.
 *
 * <p>A PUB socket cannot tell whether anyone received a message: a send only fails when the
 * socket's queue is full (for example while a relay is unreachable for long), and then this
 * publisher throws so the outbox tries again later.
 */
public final class ZmqFedmsgPublisher implements BusPublisher {

    private static final Logger log = LoggerFactory.getLogger(ZmqFedmsgPublisher.class);

    /** How long close() may wait to flush queued messages to a relay. */
    private static final int LINGER_MILLIS = 2000;

    private static final int SEND_HIGH_WATER_MARK = 10_000;

    /**
     * jeromq 0.6.0 now and then leaves a fresh TCP connection stuck before the ZMTP handshake
     * (seen between two jeromq peers in a few percent of connections); the handshake timer drops
     * such a connection so that it is made again, after seconds rather than the default 30 s.
     */
    private static final int HANDSHAKE_MILLIS = 5_000;

    private final String topicBase;
    private final String username;
    private final Optional<X509Signer> signer;
    private final ZContext context;
    private final ZMQ.Socket socket;
    private final String endpoint;
    private long sent;
    private boolean closed;

    /** Binds or connects at once, so that a wrong endpoint fails at start-up. */
    public ZmqFedmsgPublisher(FedmsgConfig config) {
        config.validate();
        if (!config.enabled()) {
            throw new IllegalArgumentException("messaging.fedmsg is not enabled");
        }
        this.topicBase = config.topicBase();
        // fedmsg's username is the operating-system user; Java reads it from the same passwd entry.
        this.username = System.getProperty("user.name");
        this.signer =
                Optional.ofNullable(config.sign()).map(sign -> X509Signer.fromFiles(sign.certFile(), sign.keyFile()));
        this.context = new ZContext(1);
        context.setLinger(LINGER_MILLIS);
        try {
            socket = context.createSocket(SocketType.PUB);
            socket.setSndHWM(SEND_HIGH_WATER_MARK);
            socket.setLinger(LINGER_MILLIS);
            socket.setHandshakeIvl(HANDSHAKE_MILLIS);
            if (config.bind() != null) {
                socket.bind(config.bind());
            } else {
                socket.connect(config.relay());
            }
            endpoint = config.bind() != null ? socket.getLastEndpoint() : config.relay();
        } catch (ZMQException e) {
            context.close();
            String key = config.bind() != null ? "bind " + config.bind() : "relay " + config.relay();
            throw new IllegalArgumentException("messaging.fedmsg." + key + ": " + e.getMessage(), e);
        }
        log.info(
                "fedmsg publisher {} {} as {}, topics {}.*, {}",
                config.bind() != null ? "bound to" : "connected to relay",
                endpoint,
                username,
                topicBase,
                signer.isPresent() ? "signed (x509)" : "unsigned");
    }

    /** The endpoint in use; for a bind to port {@code *}, the port actually chosen. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String name() {
        return "fedmsg";
    }

    @Override
    public synchronized void publish(BusMessage message) {
        if (closed) {
            throw new IllegalStateException("fedmsg publisher on " + endpoint + " is closed");
        }
        ObjectNode envelope = FedmsgEnvelope.build(topicBase, message, sent + 1, username);
        if (signer.isPresent()) {
            envelope = signer.get().sign(envelope);
        }
        byte[] topic = envelope.get("topic").textValue().getBytes(StandardCharsets.UTF_8);
        byte[] body = CanonicalJson.encode(envelope).getBytes(StandardCharsets.UTF_8);
        // The first frame is only refused when the queue is full; once it is in, ZeroMQ always
        // accepts the rest of a multipart message.
        if (!socket.send(topic, ZMQ.SNDMORE | ZMQ.DONTWAIT) || !socket.send(body, ZMQ.DONTWAIT)) {
            throw new FedmsgSendException("fedmsg: cannot send " + message.id() + " to " + endpoint
                    + " now (send queue full: " + socket.errno() + ")");
        }
        sent++;
    }

    @Override
    public synchronized void close() {
        closed = true;
        context.close();
    }

    /** The message was not handed to ZeroMQ; sending it again later may work. */
    public static final class FedmsgSendException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FedmsgSendException(String message) {
            super(message);
        }
    }
}
