package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.fedoraproject.releng.workflow.testsupport.ReleaseFakes;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What QA's bot sees: it listens for {@code releng.workflow.complete} on the bus, so the shipped
 * {@code announce-qa}'s announcement must arrive in that message's {@code outputs}, here through a
 * real RabbitMQ as fedora-messaging delivers it.
 */
class AnnounceQaMessageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE = "qa-bot";
    private static final String COMPLETE = "org.fedoraproject.test.releng.workflow.complete";

    @TempDir
    Path home;

    @Test
    void qaBotListeningForCompleteGetsTheAnnouncement() throws Exception {
        Path composes = Files.createDirectories(home.resolve("composes"));
        Path compose = Files.createDirectories(composes.resolve("Fedora-43-20261201.0"));
        Files.writeString(compose.resolve("COMPOSE_ID"), "Fedora-43-20261201.0");
        Files.writeString(compose.resolve("STATUS"), "FINISHED\n");
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(ReleaseFakes.projectDir().resolve("workflows"), catalog);

        try (RabbitMqServer broker = RabbitMqServer.launch()) {
            try (Connection c = broker.connect("qa bot setup");
                    Channel ch = c.createChannel()) {
                ch.queueDeclare(QUEUE, true, false, false, null);
                ch.queueBind(QUEUE, "amq.topic", COMPLETE);
            }
            String messaging = "schedules: {enabled: false}\n"
                    + "messaging:\n"
                    + "  amqp: {enabled: true, url: \"" + broker.amqpUrl()
                    + "\", topicPrefix: org.fedoraproject, environment: test}\n";
            try (TestEngine engine = TestEngine.startWith(home, catalog, messaging, Map.of())) {
                long id = engine.trigger(
                                "announce-qa",
                                "{\"compose_id\":\"Fedora-43-20261201.0\",\"compose_root\":\"" + composes
                                        + "\",\"location\":\"https://dl.fedoraproject.org/pub/alt/stage/43_Beta-1.2/\"}")
                        .path("id")
                        .asLong();
                assertThat(engine.awaitFinal(id).path("status").asText()).isEqualTo("succeeded");

                JsonNode body = awaitComplete(broker, id);

                assertThat(body.path("workflow").asText()).isEqualTo("announce-qa");
                assertThat(body.path("status").asText()).isEqualTo("succeeded");
                JsonNode announcement = body.at("/outputs/announcement");
                assertThat(announcement.path("compose_id").asText()).isEqualTo("Fedora-43-20261201.0");
                assertThat(announcement.path("compose_status").asText()).isEqualTo("FINISHED");
                assertThat(announcement.path("ready").asBoolean()).isTrue();
                assertThat(announcement.path("location").asText())
                        .isEqualTo("https://dl.fedoraproject.org/pub/alt/stage/43_Beta-1.2/");
                assertThat(body.at("/outputs/compose_id").asText()).isEqualTo("Fedora-43-20261201.0");
            }
        }
    }

    /** The body of run {@code id}'s complete message, as QA's queue receives it. */
    private static JsonNode awaitComplete(RabbitMqServer broker, long id) throws Exception {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        try (Connection c = broker.connect("qa bot");
                Channel ch = c.createChannel()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        GetResponse r;
                        while ((r = ch.basicGet(QUEUE, true)) != null) {
                            JsonNode body = JSON.readTree(r.getBody());
                            if (COMPLETE.equals(r.getEnvelope().getRoutingKey())
                                    && body.path("run_id").asLong() == id) {
                                found.set(body);
                            }
                        }
                        return found.get() != null;
                    });
        }
        return found.get();
    }
}
