package org.fedoraproject.releng.workflow.approval;

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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.HttpUser;
import org.fedoraproject.releng.workflow.testsupport.Python;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval requests and decisions reach a real python3-zmq subscriber on the engine's fedmsg
 * endpoint and a real RabbitMQ queue, through the outbox, without the waiting run's secret.
 */
class ApprovalMessagesIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUEUE = "releng-approvals-consumer";
    static final String SECRET = "approval-bus-secret-42";
    static final String PREFIX = "org.fedoraproject.test.releng.workflow.";

    @TempDir
    static Path home;

    static RabbitMqServer broker;
    static FedoraLikeProvider provider;
    static TestEngine engine;
    static int fedmsgPort;

    @BeforeAll
    static void start() throws Exception {
        broker = RabbitMqServer.launch();
        try (Connection c = broker.connect("test consumer");
                Channel ch = c.createChannel()) {
            ch.queueDeclare(QUEUE, true, false, false, null);
            ch.queueBind(QUEUE, "amq.topic", PREFIX + "approval.#");
        }
        try (ServerSocket s = new ServerSocket(0)) {
            fedmsgPort = s.getLocalPort();
        }
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("approval-workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("chain-workflows"), catalog);
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        engine = TestEngine.startWith(
                home,
                catalog,
                "messaging:\n"
                        + "  fedmsg: {enabled: true, topicPrefix: org.fedoraproject, environment: test, bind: \"tcp://127.0.0.1:"
                        + fedmsgPort + "\"}\n"
                        + "  amqp: {enabled: true, url: \"" + broker.amqpUrl()
                        + "\", topicPrefix: org.fedoraproject, environment: test}\n",
                "oidc: " + provider.oidcYaml() + "\n",
                Map.of(FedoraLikeProvider.SECRET_ENV, FedoraLikeProvider.SECRET),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        engine.close();
        provider.close();
        broker.close();
    }

    @Test
    void requestAndEveryDecisionReachBothBuses() throws Exception {
        Process tail = Python.start(
                Python.peer("fedmsg_tail.py"),
                "tcp://127.0.0.1:" + fedmsgPort,
                "--count",
                "1000",
                "--timeout",
                "120",
                "--topic",
                PREFIX);
        try {
            BlockingQueue<JsonNode> lines = readLines(tail);
            // ZeroMQ's slow joiner: run something until the subscriber has heard anything at all
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        engine.awaitFinal(
                                engine.trigger("echo-params", null).get("id").asLong());
                        return !lines.isEmpty();
                    });
            HttpUser alice = HttpUser.logIn(engine, provider, "alice", "qa");
            HttpUser bob = HttpUser.logIn(engine, provider, "bob", "approvers");
            HttpUser dave = HttpUser.logIn(engine, provider, "dave", "approvers");

            HttpResponse<String> asked = alice.post(
                    "/api/workflows/freeze-push/runs", "{\"parameters\":{\"token\":\"" + SECRET + "\"}}", true);
            assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
            long id = engine.read(asked.body()).get("id").asLong();
            assertThat(bob.post("/api/runs/" + id + "/approve", "{\"comment\":\"fine\"}", true)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(dave.post("/api/runs/" + id + "/deny", "{\"comment\":\"not now\"}", true)
                            .statusCode())
                    .isEqualTo(200);

            List<JsonNode> amqp = consume(3, id);
            assertThat(amqp)
                    .extracting(m -> m.get("topic").asText())
                    .containsExactly(
                            PREFIX + "approval.request", PREFIX + "approval.decision", PREFIX + "approval.decision");
            JsonNode request = amqp.get(0).get("body");
            assertThat(request.get("agent").asText()).isEqualTo("alice");
            assertThat(request.get("required").asInt()).isEqualTo(2);
            assertThat(request.get("deadline").asText()).isNotBlank();
            assertThat(request.get("url").asText())
                    .endsWith("/job/freeze-push/" + request.get("run_number").asLong() + "/");
            JsonNode approved = amqp.get(1).get("body");
            assertThat(approved.get("decision").asText()).isEqualTo("approved");
            assertThat(approved.get("by").asText()).isEqualTo("bob");
            assertThat(approved.get("comment").asText()).isEqualTo("fine");
            assertThat(approved.get("remaining").asInt()).isEqualTo(1);
            assertThat(approved.get("outcome").isNull()).isTrue();
            JsonNode denied = amqp.get(2).get("body");
            assertThat(denied.get("decision").asText()).isEqualTo("denied");
            assertThat(denied.get("by").asText()).isEqualTo("dave");
            assertThat(denied.get("outcome").asText()).isEqualTo("denied");

            List<JsonNode> fedmsgs = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                lines.drainTo(fedmsgs);
                return fedmsgs.stream()
                                .filter(l -> l.get("topic").asText().startsWith(PREFIX + "approval."))
                                .filter(l -> l.get("envelope")
                                                .get("msg")
                                                .get("run_id")
                                                .asLong()
                                        == id)
                                .count()
                        == 3;
            });
            List<JsonNode> mine = fedmsgs.stream()
                    .filter(l -> l.get("topic").asText().startsWith(PREFIX + "approval."))
                    .filter(l -> l.get("envelope").get("msg").get("run_id").asLong() == id)
                    .toList();
            assertThat(mine)
                    .extracting(
                            l -> l.get("envelope").get("msg").path("decision").asText("request"))
                    .containsExactly("request", "approved", "denied");
            assertThat(mine).allSatisfy(l -> assertThat(l.toString()).doesNotContain(SECRET));
            assertThat(amqp).allSatisfy(m -> assertThat(m.toString()).doesNotContain(SECRET));
        } finally {
            tail.destroy();
            tail.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTimeoutIsADecisionByTheEngine() throws Exception {
        HttpUser alice = HttpUser.logIn(engine, provider, "alice", "qa");
        HttpResponse<String> asked = alice.post("/api/workflows/quick-approval/runs", "{}", true);
        long id = engine.read(asked.body()).get("id").asLong();

        engine.awaitStatus(id, "rejected");

        List<JsonNode> amqp = consume(2, id);
        JsonNode timedOut = amqp.get(1).get("body");
        assertThat(timedOut.get("decision").asText()).isEqualTo("timed_out");
        assertThat(timedOut.get("by").asText()).isEqualTo("engine");
        assertThat(timedOut.get("outcome").asText()).isEqualTo("timed_out");
    }

    @Test
    void aChainsGatesAreAnnouncedWithTheirStep() throws Exception {
        HttpUser alice = HttpUser.logIn(engine, provider, "alice", "qa");
        HttpResponse<String> asked = alice.post("/api/workflows/two-gates/runs", "{}", true);
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        long id = engine.read(asked.body()).get("id").asLong();

        // two requests, then the right gate's timeout (after 3 s)
        List<JsonNode> amqp = consume(3, id);

        assertThat(amqp)
                .extracting(m -> m.get("topic").asText() + " "
                        + m.get("body").path("step").asText())
                .containsExactlyInAnyOrder(
                        PREFIX + "approval.request left",
                        PREFIX + "approval.request right",
                        PREFIX + "approval.decision right");
        JsonNode timedOut = amqp.stream()
                .filter(m -> m.get("topic").asText().endsWith("decision"))
                .findFirst()
                .orElseThrow()
                .get("body");
        assertThat(timedOut.get("decision").asText()).isEqualTo("timed_out");
        assertThat(timedOut.get("workflow").asText()).isEqualTo("two-gates");
        assertThat(timedOut.get("agent").asText()).isEqualTo("alice");
    }

    /** The queue's approval messages about run {@code runId}, as {topic, body}, until {@code count} arrived. */
    static List<JsonNode> consume(int count, long runId) throws Exception {
        List<JsonNode> got = new ArrayList<>();
        try (Connection c = broker.connect("test consumer");
                Channel ch = c.createChannel()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        GetResponse r;
                        while ((r = ch.basicGet(QUEUE, true)) != null) {
                            JsonNode body = JSON.readTree(r.getBody());
                            if (body.path("run_id").asLong() == runId) {
                                got.add(JSON.createObjectNode()
                                        .put("topic", r.getEnvelope().getRoutingKey())
                                        .set("body", body));
                            }
                        }
                        return got.size() >= count;
                    });
        }
        return got;
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
