package org.fedoraproject.releng.workflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedoraproject.releng.workflow.testsupport.Python;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real runs announced to real peers: a python3-zmq subscriber on the engine's fedmsg endpoint and
 * a RabbitMQ queue bound to the releng topics. The broker goes away mid-test and the engine
 * restarts while it is away; every message still arrives, in order, each under one stable id.
 */
class RunAnnouncementsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUEUE = "releng-test-consumer";

    @TempDir
    static Path home;

    static RabbitMqServer broker;
    static int fedmsgPort;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RabbitMqServer.launch();
        try (Connection c = connect();
                Channel ch = c.createChannel()) {
            ch.queueDeclare(QUEUE, true, false, false, null);
            ch.queueBind(QUEUE, "amq.topic", "org.fedoraproject.test.releng.#");
        }
        try (ServerSocket s = new ServerSocket(0)) {
            fedmsgPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static Connection connect() throws Exception {
        return broker.connect("test consumer");
    }

    static TestEngine engine() {
        return TestEngine.start(
                home,
                "messaging:\n"
                        + "  fedmsg: {enabled: true, topicPrefix: org.fedoraproject, environment: test, bind: \"tcp://127.0.0.1:"
                        + fedmsgPort + "\"}\n"
                        + "  amqp: {enabled: true, url: \"" + broker.amqpUrl()
                        + "\", topicPrefix: org.fedoraproject, environment: test}\n");
    }

    record Delivery(String routingKey, String messageId, Map<String, Object> headers, JsonNode body) {}

    /** Takes what the queue holds until {@code count} deliveries arrived. */
    static List<Delivery> consume(int count) throws Exception {
        List<Delivery> got = new ArrayList<>();
        try (Connection c = connect();
                Channel ch = c.createChannel()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        GetResponse r;
                        while ((r = ch.basicGet(QUEUE, true)) != null) {
                            got.add(new Delivery(
                                    r.getEnvelope().getRoutingKey(),
                                    r.getProps().getMessageId(),
                                    r.getProps().getHeaders(),
                                    JSON.readTree(r.getBody())));
                        }
                        return got.size() >= count;
                    });
        }
        return got;
    }

    @Test
    void startAndCompleteReachBothBusesAndSurviveABrokerOutageAndARestart() throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        long firstRun;
        try (TestEngine engine = engine()) {
            Process tail = Python.start(
                    Python.peer("fedmsg_tail.py"),
                    "tcp://127.0.0.1:" + fedmsgPort,
                    "--count",
                    "1000",
                    "--timeout",
                    "120",
                    "--topic",
                    "org.fedoraproject.test.releng.workflow.");
            try {
                BlockingQueue<JsonNode> lines = readLines(tail);
                // ZeroMQ's slow joiner: run the demo until the subscriber has heard anything at all
                List<Long> warmUps = new ArrayList<>();
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            long id = engine.trigger("echo-params", null)
                                    .get("id")
                                    .asLong();
                            warmUps.add(id);
                            engine.awaitFinal(id);
                            return !lines.isEmpty();
                        });
                deliveries.addAll(consume(2 * warmUps.size()));
                lines.clear();

                firstRun = engine.trigger("with-secret", "{\"token\":\"bus-secret-123456\",\"who\":\"bus\"}")
                        .get("id")
                        .asLong();
                JsonNode run = engine.awaitFinal(firstRun);

                List<JsonNode> fedmsgs = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    lines.drainTo(fedmsgs);
                    return fedmsgs.stream()
                                    .filter(l -> l.get("envelope")
                                                    .get("msg")
                                                    .get("run_id")
                                                    .asLong()
                                            == firstRun)
                                    .count()
                            == 2;
                });
                List<JsonNode> mine = fedmsgs.stream()
                        .filter(l -> l.get("envelope").get("msg").get("run_id").asLong() == firstRun)
                        .toList();
                assertThat(mine.get(0).get("topic").asText()).isEqualTo("org.fedoraproject.test.releng.workflow.start");
                assertThat(mine.get(1).get("topic").asText())
                        .isEqualTo("org.fedoraproject.test.releng.workflow.complete");
                JsonNode envelope = mine.get(1).get("envelope");
                assertThat(envelope.get("topic").asText())
                        .isEqualTo(mine.get(1).get("topic").asText());
                assertThat(envelope.get("msg_id").asText()).matches("\\d{4}-[0-9a-f-]{36}");
                assertThat(envelope.get("i").asLong())
                        .isEqualTo(mine.get(0).get("envelope").get("i").asLong() + 1);
                assertThat(envelope.get("username").asText()).isNotEmpty();
                JsonNode msg = envelope.get("msg");
                assertThat(msg.get("status").asText()).isEqualTo("succeeded");
                assertThat(msg.get("run_number").asLong())
                        .isEqualTo(run.get("number").asLong());
                assertThat(msg.get("url").asText()).isEqualTo(run.get("url").asText());
                assertThat(msg.get("log_url").asText()).endsWith("/api/runs/" + firstRun + "/log");
                assertThat(msg.get("workflow_title").asText()).isEqualTo("Uses a secret token");
                assertThat(msg.get("agent").asText()).isEqualTo("releng-bot");
                assertThat(msg.get("parameters").toString()).isEqualTo("{\"who\":\"bus\"}");
                assertThat(mine.get(1).get("raw").asText()).doesNotContain("bus-secret");
            } finally {
                tail.destroy();
                tail.waitFor(10, TimeUnit.SECONDS);
            }
            List<Delivery> run1 = consume(2);
            deliveries.addAll(run1);
            assertThat(run1)
                    .extracting(Delivery::routingKey)
                    .containsExactly(
                            "org.fedoraproject.test.releng.workflow.start",
                            "org.fedoraproject.test.releng.workflow.complete");
            assertThat(run1.get(1).headers())
                    .containsKeys("fedora_messaging_schema", "sent-at", "fedora_messaging_severity")
                    .containsEntry("fedora_messaging_user_releng-bot", true);
            assertThat(run1.get(1).body().get("run_id").asLong()).isEqualTo(firstRun);
            assertThat(run1.get(1).body().toString()).doesNotContain("bus-secret");
            assertThat(engine.getWithToken("/api/runs/" + firstRun).body())
                    .contains("\"amqp\":\"sent\"")
                    .contains("\"fedmsg\":\"sent\"");
            assertThat(engine.get("/job/with-secret/1/").body()).contains("releng.workflow.complete");

            // the broker goes away: runs go on, their messages wait
            broker.stop();
            long during = engine.trigger("echo-params", null).get("id").asLong();
            assertThat(engine.awaitFinal(during).get("status").asText()).isEqualTo("succeeded");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.get("/metrics").body().contains("releng_messages_pending{bus=\"amqp\",} 2.0"));
            assertThat(engine.get("/metrics").body()).contains("releng_messages_failed_total{bus=\"amqp\",}");
        }
        // ... and the engine restarts before it comes back
        broker.start();
        try (TestEngine engine = engine()) {
            List<Delivery> after = consume(2);
            assertThat(after)
                    .extracting(Delivery::routingKey)
                    .containsExactly(
                            "org.fedoraproject.test.releng.workflow.start",
                            "org.fedoraproject.test.releng.workflow.complete");
            assertThat(after.get(0).body().get("run_id").asLong())
                    .isEqualTo(after.get(1).body().get("run_id").asLong());
            deliveries.addAll(after);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.get("/metrics").body().contains("releng_messages_pending{bus=\"amqp\",} 0.0"));
        }
        // every message once, under its own id, and each run's start before its complete
        List<String> ids = deliveries.stream().map(Delivery::messageId).toList();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        List<Long> order =
                deliveries.stream().map(d -> d.body().get("run_id").asLong()).toList();
        assertThat(order).isSorted();
    }

    static BlockingQueue<JsonNode> readLines(Process process) {
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            lines.add(JSON.readTree(line));
                        }
                    } catch (java.io.IOException e) {
                        // the peer ended
                    }
                },
                "fedmsg_tail reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
