package org.fedoraproject.releng.workflow.messaging.amqp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.LongString;
import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedoraproject.releng.workflow.config.TriggerSettings;
import org.fedoraproject.releng.workflow.messaging.IncomingMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears fedora-messaging: a durable queue bound to the exchange with each amqp trigger's topic as
 * routing key (the same {@code *} and {@code #} patterns), consumed with manual acknowledgement.
 * A message is acknowledged only after {@link IncomingMessages#receive} returned, that is after its
 * runs are stored; when handling throws it goes back to the queue and the consumer pauses for a
 * few seconds. A supervisor thread connects, and connects again after the broker went away,
 * waiting longer each time up to half a minute.
 */
public final class AmqpTriggerConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmqpTriggerConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUS = "amqp";
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(5);
    private static final int PREFETCH = 10;

    private final TriggerSettings.Amqp settings;
    private final IncomingMessages triggers;
    private final ConnectionFactory factory;
    private final Thread supervisor;
    /** Guards the connection and the bindings, which the supervisor and catalog reloads both change. */
    private final Object lock = new Object();

    private final BlockingQueue<Boolean> wakeups = new LinkedBlockingQueue<>();
    /** Routing keys bound by this process; guarded by {@code lock}. */
    private final Set<String> bound = new HashSet<>();

    private Connection connection;
    private volatile boolean closed;
    private volatile boolean handlingFailed;

    public AmqpTriggerConsumer(TriggerSettings.Amqp settings, IncomingMessages triggers) {
        this.settings = settings;
        this.triggers = triggers;
        this.factory = AmqpConnections.factory(settings.connection(), "triggers.amqp");
        this.supervisor = new Thread(this::supervise, "amqp-triggers");
        supervisor.setDaemon(true);
        triggers.onChange(this::resync);
    }

    public void start() {
        supervisor.start();
    }

    private void supervise() {
        Duration retry = FIRST_RETRY;
        while (!closed) {
            Duration sleep = Duration.ofHours(1);
            synchronized (lock) {
                if (handlingFailed) {
                    // the messages went back to the queue; give what failed (the database, most
                    // likely) a moment instead of taking them again at once
                    handlingFailed = false;
                    disconnect();
                    sleep = PAUSE_AFTER_FAILURE;
                } else if ((connection == null || !connection.isOpen())
                        && !closed
                        && !triggers.topics(BUS).isEmpty()) {
                    // (with nothing listening to this bus: no queue, no connection, until the catalog changes)
                    try {
                        connect();
                        retry = FIRST_RETRY;
                    } catch (IOException | TimeoutException | RuntimeException e) {
                        log.warn(
                                "amqp triggers: cannot consume from {} ({}); trying again in {} s",
                                settings.queue(),
                                e.getMessage(),
                                retry.toSeconds());
                        disconnect();
                        sleep = retry;
                        retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                    }
                }
            }
            try {
                // woken early by a lost connection, a catalog change or close()
                wakeups.poll(sleep.toMillis(), TimeUnit.MILLISECONDS);
                wakeups.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    /** Call holding {@code lock}. */
    private void connect() throws IOException, TimeoutException {
        connection = factory.newConnection("releng-workflow-engine triggers");
        connection.addShutdownListener(cause -> {
            // our own disconnects are the supervisor's doing; it knows when to come back
            if (!closed && !cause.isInitiatedByApplication()) {
                log.warn("amqp triggers: connection lost: {}", cause.getMessage());
                wake();
            }
        });
        Channel channel = connection.createChannel();
        channel.queueDeclare(settings.queue(), true, false, false, null);
        bound.clear();
        bind(channel);
        channel.basicQos(PREFETCH);
        channel.basicConsume(
                settings.queue(),
                false,
                "releng-workflow-engine",
                (tag, delivery) -> deliver(channel, delivery),
                tag -> log.warn("amqp triggers: consumer cancelled by the broker"));
        log.info("amqp triggers consuming {} on {} bound to {}", settings.queue(), settings.exchange(), bound);
    }

    /** Makes the queue's bindings those of the catalog. Call holding {@code lock}. */
    private void bind(Channel channel) throws IOException {
        Set<String> wanted = triggers.topics(BUS);
        for (String key : Set.copyOf(bound)) {
            if (!wanted.contains(key)) {
                channel.queueUnbind(settings.queue(), settings.exchange(), key);
                bound.remove(key);
            }
        }
        for (String key : wanted) {
            if (!bound.contains(key)) {
                channel.queueBind(settings.queue(), settings.exchange(), key);
                bound.add(key);
            }
        }
    }

    private void resync() {
        synchronized (lock) {
            if (connection != null && connection.isOpen()) {
                try (Channel channel = connection.createChannel()) {
                    bind(channel);
                    log.info("amqp triggers: {} now bound to {}", settings.queue(), bound);
                } catch (IOException | TimeoutException e) {
                    log.warn(
                            "amqp triggers: re-binding {} failed ({}); reconnecting", settings.queue(), e.getMessage());
                    disconnect();
                }
            }
        }
        wake();
    }

    private void deliver(Channel channel, Delivery delivery) throws IOException {
        long tag = delivery.getEnvelope().getDeliveryTag();
        String topic = delivery.getEnvelope().getRoutingKey();
        String id = delivery.getProperties().getMessageId();
        JsonNode body;
        try {
            body = JSON.readTree(delivery.getBody());
        } catch (IOException e) {
            // it would fail the same way every time: refuse it rather than loop on it
            log.warn("amqp: rejected message {} on {} whose body is not JSON: {}", id, topic, e.getMessage());
            channel.basicReject(tag, false);
            return;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("topic", topic);
        root.put("msg_id", id);
        root.set("msg", body);
        root.set("headers", headers(delivery.getProperties().getHeaders()));
        try {
            triggers.receive(new IncomingMessages.Message(BUS, topic, id, root, body == null ? root.nullNode() : body));
        } catch (RuntimeException e) {
            log.error("amqp: message {} on {} could not be handled; returned to the queue", id, topic, e);
            channel.basicNack(tag, false, true);
            handlingFailed = true;
            wake();
            return;
        }
        channel.basicAck(tag, false);
    }

    public static JsonNode headers(Map<String, Object> headers) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (headers != null) {
            headers.forEach((k, v) -> node.set(k, value(v)));
        }
        return node;
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (v instanceof LongString || v instanceof String) {
            return JsonNodeFactory.instance.textNode(v.toString());
        }
        if (v instanceof Boolean b) {
            return JsonNodeFactory.instance.booleanNode(b);
        }
        if (v instanceof Number) {
            return JSON.valueToTree(v);
        }
        if (v instanceof Date d) {
            return JsonNodeFactory.instance.textNode(d.toInstant().toString());
        }
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return headers(map);
        }
        if (v instanceof List<?> list) {
            var array = JsonNodeFactory.instance.arrayNode();
            list.forEach(item -> array.add(value(item)));
            return array;
        }
        return JsonNodeFactory.instance.textNode(v.toString());
    }

    /** Call holding {@code lock}. */
    private void disconnect() {
        Connection old = connection;
        connection = null;
        if (old != null) {
            try {
                old.abort(1_000);
            } catch (RuntimeException e) {
                log.debug("amqp triggers: closing the old connection failed", e);
            }
        }
    }

    /** Stops consuming; messages being handled finish first, unacknowledged ones stay queued. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            Connection old = connection;
            connection = null;
            if (old != null) {
                try {
                    old.close(5_000);
                } catch (IOException | RuntimeException e) {
                    old.abort(1_000);
                }
            }
        }
        wake();
        try {
            supervisor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
