package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real RabbitMQ and messages published as fedora-messaging publishes them: a matching message
 * starts a run, the same message id again starts none, the filter (on body and headers) and the
 * throttle keep others out, every message is acknowledged, and a message sent while the engine
 * is down waits in the durable queue until it is back.
 */
class AmqpTriggersIT {

    static final String QUEUE = "releng-test-triggers";
    static final String COMPOSE = "org.fedoraproject.test.pungi.compose.status.change";

    @TempDir
    static Path home;

    static RabbitMqServer broker;

    @BeforeAll
    static void startBroker() {
        broker = RabbitMqServer.launch();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static Connection connect() throws Exception {
        return broker.connect("test publisher");
    }

    static TestEngine engine() {
        return engine(home, QUEUE);
    }

    static TestEngine engine(Path home, String queue) {
        Path catalog = home.resolve("workflows");
        if (!catalog.toFile().exists()) {
            TestEngine.copyTree(TestEngine.FIXTURES.resolve("triggered-workflows"), catalog);
        }
        return TestEngine.startWith(
                home,
                catalog,
                "triggers:\n  amqp: {enabled: true, url: \"" + broker.amqpUrl() + "\", queue: " + queue + "}\n",
                Map.of());
    }

    /** As fedora-messaging sends: JSON body, message_id, persistent, its headers. */
    static void publish(Channel ch, String topic, String id, String body, int severity) throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(id)
                .headers(Map.of(
                        "fedora_messaging_schema",
                        "base.message",
                        "fedora_messaging_severity",
                        severity,
                        "sent-at",
                        "2026-11-25T01:00:00+00:00"))
                .build();
        ch.basicPublish("amq.topic", topic, props, body.getBytes(StandardCharsets.UTF_8));
    }

    static List<JsonNode> runsOf(TestEngine engine, String workflow) {
        List<JsonNode> runs = new ArrayList<>();
        engine.read(engine.getWithToken("/api/runs?workflow=" + workflow).body())
                .get("runs")
                .forEach(runs::add);
        return runs;
    }

    static void awaitConsumer(Channel ch, int consumers) {
        awaitConsumer(ch, QUEUE, consumers);
    }

    static void awaitConsumer(Channel ch, String queue, int consumers) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    try (Channel probe = ch.getConnection().createChannel()) {
                        return probe.queueDeclarePassive(queue).getConsumerCount() == consumers;
                    }
                });
    }

    @Test
    void messagesStartRunsOnceFilteredAndThrottledAndAllAreAcknowledged() throws Exception {
        String finished =
                "{\"compose_id\":\"Fedora-Rawhide-20261125.n.0\",\"status\":\"FINISHED\",\"build\":\"compose-1\"}";
        String first = UUID.randomUUID().toString();
        try (Connection c = connect();
                Channel ch = c.createChannel()) {
            try (TestEngine engine = engine()) {
                awaitConsumer(ch, 1);
                publish(ch, COMPOSE, first, finished, 20);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> runsOf(engine, "on-compose").size() == 1);

                publish(ch, COMPOSE, first, finished, 20); // duplicate id
                publish(ch, COMPOSE, UUID.randomUUID().toString(), "{\"status\":\"DOOMED\"}", 20); // filter: body
                publish(ch, COMPOSE, UUID.randomUUID().toString(), finished, 40); // filter: header
                publish(ch, COMPOSE, UUID.randomUUID().toString(), finished, 20); // throttled
                publish(
                        ch,
                        "org.fedoraproject.test.pungi.compose.other",
                        UUID.randomUUID().toString(),
                        finished,
                        20);
                publish(
                        ch,
                        "org.fedoraproject.test.bodhi.update.comment",
                        "not-json-" + UUID.randomUUID(),
                        "{oops",
                        20);
                // deliveries on one channel are handled in order: once this one's run exists, all
                // the above were handled
                String sentinel = UUID.randomUUID().toString();
                publish(ch, "org.fedoraproject.test.bodhi.update.comment", sentinel, "{\"comment\":\"karma\"}", 20);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> runsOf(engine, "on-update").size() == 1);

                List<JsonNode> runs = runsOf(engine, "on-compose");
                assertThat(runs).hasSize(1);
                JsonNode run = runs.get(0);
                assertThat(run.get("cause").get("type").asText()).isEqualTo("message");
                assertThat(run.get("cause").get("detail").asText()).isEqualTo(COMPOSE + " " + first);
                long id = run.get("id").asLong();
                assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");
                assertThat(engine.log(id))
                        .contains("build=compose-1 topic=" + COMPOSE + " id=" + first + " cause=message");
                JsonNode message = engine.run(id).get("triggeredBy");
                assertThat(message.get("bus").asText()).isEqualTo("amqp");
                assertThat(message.get("body").get("compose_id").asText()).isEqualTo("Fedora-Rawhide-20261125.n.0");
                assertThat(runsOf(engine, "on-update")
                                .get(0)
                                .get("cause")
                                .get("detail")
                                .asText())
                        .endsWith(sentinel);
            }
            // with the engine gone, whatever it had not acknowledged would be back in the queue
            assertThat(ch.queueDeclarePassive(QUEUE).getMessageCount()).isZero();

            // the queue is durable and stays bound: a message sent while the engine is down waits for it
            String whileDown = UUID.randomUUID().toString();
            publish(
                    ch,
                    "org.fedoraproject.test.bodhi.update.request.stable",
                    whileDown,
                    "{\"update\":\"FEDORA-2026-1\"}",
                    20);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ch.queueDeclarePassive(QUEUE).getMessageCount() == 1);
            try (TestEngine engine = engine()) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> runsOf(engine, "on-update").size() == 2);
                assertThat(runsOf(engine, "on-update")
                                .get(0)
                                .get("cause")
                                .get("detail")
                                .asText())
                        .isEqualTo("org.fedoraproject.test.bodhi.update.request.stable " + whileDown);
                assertThat(runsOf(engine, "on-compose")).hasSize(1);
            }
            assertThat(ch.queueDeclarePassive(QUEUE).getMessageCount()).isZero();
        }
    }

    @Test
    void consumerComesBackAfterABrokerOutageAndFollowsCatalogChanges(@TempDir Path otherHome) throws Exception {
        String queue = "releng-test-outage";
        try (TestEngine engine = engine(otherHome, queue)) {
            try (Connection c = connect();
                    Channel ch = c.createChannel()) {
                awaitConsumer(ch, queue, 1);
            }
            broker.stop();
            broker.start();
            try (Connection c = connect();
                    Channel ch = c.createChannel()) {
                awaitConsumer(ch, queue, 1);
                String afterOutage = UUID.randomUUID().toString();
                publish(
                        ch,
                        "org.fedoraproject.test.bodhi.update.edit",
                        afterOutage,
                        "{\"update\":\"FEDORA-2026-2\"}",
                        20);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> runsOf(engine, "on-update").size() == 1);

                // a workflow added to the catalog gets its binding without a restart
                java.nio.file.Files.writeString(engine.catalogDir().resolve("on-sign.yaml"), """
                        id: on-sign
                        title: React to a signed build
                        playbook: playbooks/print-message.yml
                        triggers:
                          - {bus: amqp, topic: org.fedoraproject.test.buildsys.sign}
                        """);
                String signed = UUID.randomUUID().toString();
                // the same message until the new binding catches it: copies after the first are duplicates
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(300))
                        .until(() -> {
                            publish(
                                    ch,
                                    "org.fedoraproject.test.buildsys.sign",
                                    signed,
                                    "{\"build\":\"glibc-2.41-1.fc42\"}",
                                    20);
                            return !runsOf(engine, "on-sign").isEmpty();
                        });
                long id = runsOf(engine, "on-sign").get(0).get("id").asLong();
                assertThat(engine.log(engine.awaitFinal(id).get("id").asLong())).contains("build=glibc-2.41-1.fc42");
            }
        }
    }

    @Test
    void messageWhoseRunCannotBeStoredGoesBackToTheQueueUntilItCan(@TempDir Path otherHome) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.createDatabase("amqp_triggers_nack");
        String queue = "releng-test-nack";
        Path catalog = otherHome.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("triggered-workflows"), catalog);
        try (TestEngine engine = TestEngine.startWith(
                        otherHome,
                        catalog,
                        "database: {url: \"" + url + "\", user: "
                                + pg.user() + "}\ntriggers:\n  amqp: {enabled: true, url: \"" + broker.amqpUrl()
                                + "\", queue: "
                                + queue + "}\n",
                        Map.of());
                java.sql.Connection db = java.sql.DriverManager.getConnection(url, pg.user(), "");
                Connection c = connect();
                Channel ch = c.createChannel()) {
            awaitConsumer(ch, queue, 1);
            // the run cannot be stored: handling fails, the message must not be acknowledged
            db.createStatement().execute("alter table run_message rename to run_message_away");
            String id = UUID.randomUUID().toString();
            publish(
                    ch,
                    "org.fedoraproject.test.bodhi.update.request.testing",
                    id,
                    "{\"update\":\"FEDORA-2026-3\"}",
                    20);
            // after a failure the consumer steps back for a few seconds, leaving the message queued
            awaitConsumer(ch, queue, 0);
            assertThat(ch.queueDeclarePassive(queue).getMessageCount()).isEqualTo(1);
            db.createStatement().execute("alter table run_message_away rename to run_message");

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> runsOf(engine, "on-update").size() == 1);
            JsonNode run = runsOf(engine, "on-update").get(0);
            assertThat(run.get("cause").get("detail").asText()).endsWith(" " + id);
            // the failed attempt left nothing behind, not even a used number
            assertThat(run.get("number").asLong()).isEqualTo(1);
            awaitConsumer(ch, queue, 1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ch.queueDeclarePassive(queue).getMessageCount() == 0);
        }
    }
}
