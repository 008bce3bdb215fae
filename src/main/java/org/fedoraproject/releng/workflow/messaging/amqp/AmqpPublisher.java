package org.fedoraproject.releng.workflow.messaging.amqp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.fedoraproject.releng.workflow.config.AmqpConfig;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.messaging.BusPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to fedora-messaging: the message body as JSON to a topic exchange (Fedora's
 * {@code amq.topic}) with the full topic as routing key and the properties and headers
 * fedora-messaging gives its messages. The broker confirms every message before
 * {@link #publish} returns; anything else throws, and the outbox sends the message again with
 * the same {@code message_id}.
 *
 * <p>The connection is opened on first use and opened again after any failure, so a broker
 * outage costs failed publishes, never a restart.
 */
public final class AmqpPublisher implements BusPublisher {

    private static final Logger log = LoggerFactory.getLogger(AmqpPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SENT_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'");

    /** How long the broker may take to confirm one message. */
    private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;

    private final AmqpConfig config;
    private final ConnectionFactory factory;
    private final String endpoint;
    private Connection connection;
    private Channel channel;
    private volatile String blockedReason;

    public AmqpPublisher(AmqpConfig config) {
        config.validate();
        this.config = config;
        this.factory = AmqpConnections.factory(config, "messaging.amqp");
        this.endpoint = factory.getHost() + ":" + factory.getPort() + factory.getVirtualHost();
    }

    @Override
    public String name() {
        return "amqp";
    }

    @Override
    public synchronized void publish(BusMessage message) throws IOException, TimeoutException {
        if (blockedReason != null) {
            throw new IOException("amqp: broker " + endpoint + " is blocking publishers: " + blockedReason);
        }
        String routingKey = config.routingKey(message.topic());
        AMQP.BasicProperties properties = properties(message);
        byte[] body = body(message);
        try {
            Channel ch = openChannel();
            ch.basicPublish(config.exchange(), routingKey, properties, body);
            ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
        } catch (IOException | TimeoutException | RuntimeException e) {
            // Whatever state the channel is in, a fresh connection is the way back.
            disconnect();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect();
            throw new IOException("amqp: interrupted waiting for the broker to confirm " + message.id(), e);
        }
    }

    @Override
    public synchronized void close() {
        disconnect();
    }

    static AMQP.BasicProperties properties(BusMessage message) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("fedora_messaging_schema", "base.message");
        headers.put("fedora_messaging_severity", 20);
        headers.put("priority", 0);
        headers.put(
                "sent-at",
                SENT_AT.format(
                        message.createdAt().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)));
        for (String user : message.users()) {
            headers.put("fedora_messaging_user_" + user, true);
        }
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .priority(0)
                .messageId(message.id())
                .headers(headers)
                .build();
    }

    private static byte[] body(BusMessage message) {
        try {
            return JSON.writeValueAsBytes(message.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("amqp: cannot encode the body of " + message.id(), e);
        }
    }

    private Channel openChannel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        disconnect();
        connection = factory.newConnection("releng-workflow-engine");
        connection.addBlockedListener(reason -> blockedReason = reason, () -> blockedReason = null);
        channel = connection.createChannel();
        channel.confirmSelect();
        log.info("amqp publisher connected to {}, exchange {}", endpoint, config.exchange());
        return channel;
    }

    private void disconnect() {
        blockedReason = null;
        Connection old = connection;
        connection = null;
        channel = null;
        if (old != null) {
            try {
                old.abort(1_000);
            } catch (RuntimeException e) {
                log.debug("amqp: closing the old connection failed", e);
            }
        }
    }
}
