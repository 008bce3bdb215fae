package org.fedoraproject.releng.workflow.messaging.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.fedoraproject.releng.workflow.config.AmqpConfig;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmqpPublisherIT {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String BINDING = "org.fedoraproject.dev.releng.#";

    static RabbitMqServer broker;

    @BeforeAll
    static void startBroker() {
        broker = RabbitMqServer.launch();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void consumerReceivesTheBodyWithFedoraMessagingRoutingKeyPropertiesAndHeaders() throws Exception {
        try (Connection consumer = connect();
                AmqpPublisher publisher = new AmqpPublisher(AmqpConfig.to(broker.amqpUrl()))) {
            Channel channel = consumer.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "amq.topic", BINDING);
            BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
            channel.basicConsume(queue, true, (tag, delivery) -> deliveries.add(delivery), tag -> {});

            BusMessage message =
                    message("releng.workflow.complete", "Nightly \u00e9t\u00e9 \ud83d\ude80", List.of("alice", "bob"));
            publisher.publish(message);

            Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
            assertThat(delivery).as("a delivery within 10 s").isNotNull();
            assertThat(delivery.getEnvelope().getExchange()).isEqualTo("amq.topic");
            assertThat(delivery.getEnvelope().getRoutingKey())
                    .isEqualTo("org.fedoraproject.dev.releng.workflow.complete");
            assertThat(JSON.readTree(new String(delivery.getBody(), StandardCharsets.UTF_8)))
                    .isEqualTo(message.body());

            AMQP.BasicProperties props = delivery.getProperties();
            assertThat(props.getContentType()).isEqualTo("application/json");
            assertThat(props.getContentEncoding()).isEqualTo("utf-8");
            assertThat(props.getDeliveryMode()).isEqualTo(2);
            assertThat(props.getPriority()).isZero();
            assertThat(props.getMessageId()).isEqualTo(message.id());
            assertThat(asStrings(props.getHeaders()))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "fedora_messaging_schema", "base.message",
                            "fedora_messaging_severity", "20",
                            "priority", "0",
                            "sent-at", "2026-11-25T01:02:03+00:00",
                            "fedora_messaging_user_alice", "true",
                            "fedora_messaging_user_bob", "true"));
            assertThat(props.getHeaders().get("fedora_messaging_severity")).isInstanceOf(Integer.class);
            assertThat(props.getHeaders().get("fedora_messaging_user_alice")).isEqualTo(true);
        }
    }

    @Test
    void publishFailsWhileTheBrokerIsDownAndSucceedsOnceItIsBack() throws Exception {
        String queue = "outage-" + UUID.randomUUID();
        try (Connection setup = connect()) {
            Channel channel = setup.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            channel.queueBind(queue, "amq.topic", BINDING);
        }
        try (AmqpPublisher publisher = new AmqpPublisher(AmqpConfig.to(broker.amqpUrl()))) {
            publisher.publish(message("releng.workflow.start", "before", List.of()));

            broker.stop();
            assertThatThrownBy(() -> publisher.publish(message("releng.workflow.start", "during", List.of())))
                    .isInstanceOfAny(java.io.IOException.class, RuntimeException.class);
            assertThatThrownBy(() -> publisher.publish(message("releng.workflow.start", "during again", List.of())))
                    .isInstanceOf(java.io.IOException.class);

            broker.start();
            BusMessage after = message("releng.workflow.complete", "after", List.of());
            publisher.publish(after);
            publisher.publish(message("releng.workflow.complete", "and on", List.of()));
        }

        List<String> titles = new ArrayList<>();
        try (Connection consumer = connect()) {
            Channel channel = consumer.createChannel();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                GetResponse got = channel.basicGet(queue, true);
                if (got != null) {
                    titles.add(JSON.readTree(got.getBody()).get("title").textValue());
                }
                return titles.size() >= 3;
            });
            assertThat(channel.basicGet(queue, true)).isNull();
            channel.queueDelete(queue);
        }
        assertThat(titles).containsExactly("before", "after", "and on");
    }

    @Test
    void readsThePasswordFromPasswordFile(@TempDir Path dir) throws Exception {
        Path passwordFile = dir.resolve("amqp-password");
        Files.writeString(passwordFile, "guest\n");
        String urlWithoutPassword = broker.amqpUrl().replace("guest:guest@", "guest@");
        try (AmqpPublisher publisher =
                new AmqpPublisher(AmqpConfig.to(urlWithoutPassword).withPasswordFile(passwordFile))) {
            publisher.publish(message("releng.workflow.start", "with a password file", List.of()));
        }
        Files.writeString(passwordFile, "wrong\n");
        try (AmqpPublisher publisher =
                new AmqpPublisher(AmqpConfig.to(urlWithoutPassword).withPasswordFile(passwordFile))) {
            assertThatThrownBy(() -> publisher.publish(message("releng.workflow.start", "refused", List.of())))
                    .isInstanceOf(com.rabbitmq.client.AuthenticationFailureException.class);
        }
    }

    @Test
    void publishWithoutABrokerFailsFastAndTheConstructorDoesNotConnect() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }
        try (AmqpPublisher publisher =
                new AmqpPublisher(AmqpConfig.to("amqp://guest:guest@127.0.0.1:" + unused + "/%2F"))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> publisher.publish(message("releng.workflow.start", "nowhere", List.of())))
                    .isInstanceOf(java.net.ConnectException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
    }

    private static Map<String, String> asStrings(Map<String, Object> headers) {
        return headers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    private static Connection connect() throws Exception {
        return broker.connect("test consumer");
    }

    static BusMessage message(String topic, String title, List<String> users) {
        ObjectNode body =
                JsonNodeFactory.instance.objectNode().put("title", title).put("number", 3);
        body.putObject("run").put("status", "succeeded").putArray("parameters").add("release=rawhide");
        return new BusMessage(
                UUID.randomUUID().toString(), topic, body, Instant.parse("2026-11-25T01:02:03.789Z"), users);
    }
}
