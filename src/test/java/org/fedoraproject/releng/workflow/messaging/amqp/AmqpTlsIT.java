package org.fedoraproject.releng.workflow.messaging.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedoraproject.releng.workflow.config.AmqpConfig;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.fedoraproject.releng.workflow.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS as Fedora's brokers use it: the broker's certificate checked against a CA, a client certificate required. */
class AmqpTlsIT {

    @TempDir
    static Path dir;

    static TestCertificates brokerCa;
    static TestCertificates.Issued client;
    static RabbitMqServer broker;

    /** Only this user may use /pubsub, so a publisher that gets in there did not log in as guest. */
    private static final String PASSWORD = java.util.UUID.randomUUID().toString();

    @BeforeAll
    static void startTlsBroker() {
        brokerCa = TestCertificates.newAuthority(dir, "broker");
        TestCertificates.Issued server = brokerCa.issue("broker.example", false);
        client = brokerCa.issue("releng-workflow", true);
        broker = RabbitMqServer.launch(new RabbitMqServer.Tls(brokerCa.caCert(), server.cert(), server.key()));
        broker.addVirtualHost("/pubsub");
        broker.addUser("releng-workflow", PASSWORD, "/pubsub");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void publishesOverTlsWithAClientCertificateFromPemFiles() throws Exception {
        AmqpConfig config = AmqpConfig.to(broker.amqpsUrl()).withTls(brokerCa.caCert(), client.cert(), client.key());
        try (Connection consumer = plainConnection();
                AmqpPublisher publisher = new AmqpPublisher(config)) {
            Channel channel = consumer.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "amq.topic", "org.fedoraproject.dev.releng.#");
            BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
            channel.basicConsume(queue, true, (tag, delivery) -> deliveries.add(delivery), tag -> {});

            BusMessage message = AmqpPublisherIT.message("releng.workflow.start", "over tls", List.of("alice"));
            publisher.publish(message);

            Delivery delivery = deliveries.poll(10, TimeUnit.SECONDS);
            assertThat(delivery).isNotNull();
            assertThat(new JsonMapper().readTree(delivery.getBody())).isEqualTo(message.body());
        }
    }

    @Test
    void logsInByItsCertificateWhenTheUrlHasNoUser() throws Exception {
        String url = "amqps://127.0.0.1:" + broker.tlsPort() + "/%2Fpubsub";
        AmqpConfig config = AmqpConfig.to(url).withTls(brokerCa.caCert(), client.cert(), client.key());
        ConnectionFactory asReleng = new ConnectionFactory();
        asReleng.setUri("amqp://releng-workflow:" + PASSWORD + "@127.0.0.1:" + broker.port() + "/%2Fpubsub");
        try (Connection consumer = asReleng.newConnection();
                AmqpPublisher publisher = new AmqpPublisher(config)) {
            Channel channel = consumer.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "amq.topic", "org.fedoraproject.dev.releng.#");

            publisher.publish(AmqpPublisherIT.message("releng.workflow.start", "as my certificate", List.of()));

            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> channel.messageCount(queue) == 1);
        }
    }

    @Test
    void refusesABrokerWhoseCertificateComesFromAnotherAuthority() {
        TestCertificates otherCa = TestCertificates.newAuthority(dir, "elsewhere");
        AmqpConfig config = AmqpConfig.to(broker.amqpsUrl()).withTls(otherCa.caCert(), client.cert(), client.key());
        try (AmqpPublisher publisher = new AmqpPublisher(config)) {
            assertThatThrownBy(
                            () -> publisher.publish(AmqpPublisherIT.message("releng.workflow.start", "x", List.of())))
                    .isInstanceOf(IOException.class)
                    .hasStackTraceContaining("PKIX path");
        }
    }

    @Test
    void brokerRefusesAPublisherWithoutAClientCertificate() {
        AmqpConfig config = AmqpConfig.to(broker.amqpsUrl()).withTls(brokerCa.caCert(), null, null);
        try (AmqpPublisher publisher = new AmqpPublisher(config)) {
            assertThatThrownBy(
                            () -> publisher.publish(AmqpPublisherIT.message("releng.workflow.start", "x", List.of())))
                    .isInstanceOf(IOException.class);
        }
    }

    private static Connection plainConnection() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(broker.amqpUrl());
        return factory.newConnection("test consumer");
    }
}
