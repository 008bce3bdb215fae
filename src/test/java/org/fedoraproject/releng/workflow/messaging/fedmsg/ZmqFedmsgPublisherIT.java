package org.fedoraproject.releng.workflow.messaging.fedmsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedoraproject.releng.workflow.config.FedmsgConfig;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.testsupport.Python;
import org.fedoraproject.releng.workflow.testsupport.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

class ZmqFedmsgPublisherIT {

    private static final JsonMapper JSON = new JsonMapper();
    private static final String USER = System.getProperty("user.name");
    private static final String PROBE_TOPIC = "releng.workflow.probe";
    private static final String FULL_TOPIC = "org.fedoraproject.dev.releng.workflow.start";

    @TempDir
    Path dir;

    @Test
    void bindModeSendsTwoFramesWithFedmsgsEnvelope() throws Exception {
        try (ZmqFedmsgPublisher publisher = new ZmqFedmsgPublisher(FedmsgConfig.bindTo("tcp://127.0.0.1:*"));
                ZContext context = new ZContext()) {
            ZMQ.Socket sub = subscriber(context);
            sub.subscribe("org.fedoraproject.dev.releng.");
            sub.connect(publisher.endpoint());
            awaitSubscribed(publisher, sub);

            List<BusMessage> sent = List.of(message("one"), message("two \u00e9"), message("three \ud83d\ude00"));
            for (BusMessage m : sent) {
                publisher.publish(m);
            }

            long firstI = -1;
            for (BusMessage m : sent) {
                ZMsg frames = nextFrames(sub);
                assertThat(frames.size()).isEqualTo(2);
                String topic = frames.pop().getString(StandardCharsets.UTF_8);
                String raw = frames.pop().getString(StandardCharsets.UTF_8);
                JsonNode envelope = JSON.readTree(raw);

                assertThat(topic).isEqualTo(FULL_TOPIC);
                assertThat(raw).isEqualTo(CanonicalJson.encode(envelope)).isPrintable();
                assertThat(names(envelope)).containsExactly("i", "msg", "msg_id", "timestamp", "topic", "username");
                assertThat(envelope.get("topic").textValue()).isEqualTo(FULL_TOPIC);
                assertThat(envelope.get("msg")).isEqualTo(m.body());
                assertThat(envelope.get("msg_id").textValue())
                        .isEqualTo(m.createdAt().toString().substring(0, 4) + "-" + m.id())
                        .matches("\\d{4}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                assertThat(envelope.get("timestamp").isIntegralNumber()).isTrue();
                assertThat(envelope.get("timestamp").longValue())
                        .isEqualTo(m.createdAt().getEpochSecond());
                assertThat(envelope.get("username").textValue()).isEqualTo(USER);
                long i = envelope.get("i").longValue();
                if (firstI >= 0) {
                    assertThat(i).isEqualTo(firstI + 1);
                }
                firstI = i;
            }
        }
    }

    @Test
    void countsMessagesFromOneAndKeepsTheIdOfARetriedMessage() throws Exception {
        try (ZmqFedmsgPublisher publisher = new ZmqFedmsgPublisher(FedmsgConfig.bindTo("tcp://127.0.0.1:*"));
                ZContext context = new ZContext()) {
            ZMQ.Socket sub = subscriber(context);
            sub.subscribe("");
            sub.connect(publisher.endpoint());
            int probes = awaitSubscribed(publisher, sub);

            BusMessage retried = message("retried");
            publisher.publish(retried);
            publisher.publish(retried);

            JsonNode first = nextMessage(sub);
            JsonNode second = nextMessage(sub);
            assertThat(first.get("i").longValue())
                    .as("i after %d probes", probes)
                    .isEqualTo(probes + 1);
            assertThat(second.get("i").longValue()).isEqualTo(probes + 2);
            assertThat(List.of(first, second))
                    .extracting(e -> e.get("msg_id").textValue())
                    .containsOnly("2026-" + retried.id());
        }
    }

    @Test
    void relayModeConnectsToTheRelaysInboundSocket() throws Exception {
        try (ZContext context = new ZContext();
                RelayStandIn relay = new RelayStandIn()) {
            ZMQ.Socket downstream = subscriber(context);
            downstream.subscribe("org.fedoraproject.prod.");
            downstream.connect(relay.outbound);

            FedmsgConfig config = FedmsgConfig.relayTo(relay.inbound).withEnvironment("org.fedoraproject", "prod");
            try (ZmqFedmsgPublisher publisher = new ZmqFedmsgPublisher(config)) {
                awaitSubscribed(publisher, downstream);
                publisher.publish(message("through the relay"));
                ZMsg frames = nextFrames(downstream);
                assertThat(frames.pop().getString(StandardCharsets.UTF_8))
                        .isEqualTo("org.fedoraproject.prod.releng.workflow.start");
                JsonNode envelope = JSON.readTree(frames.pop().getString(StandardCharsets.UTF_8));
                assertThat(envelope.get("msg").get("title").textValue()).isEqualTo("through the relay");
            }
        }
    }

    @Test
    void pythonSubscriberReceivesSignedMessagesThatFedmsgValidates() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority(dir, "fedmsg");
        TestCertificates.Issued host = ca.issue("releng-workflow.example", false);
        FedmsgConfig config = FedmsgConfig.bindTo("tcp://127.0.0.1:*").withSign(host.cert(), host.key());
        try (ZmqFedmsgPublisher publisher = new ZmqFedmsgPublisher(config)) {
            Process tail = Python.start(
                    Python.peer("fedmsg_tail.py"),
                    publisher.endpoint(),
                    "--count",
                    "1000",
                    "--timeout",
                    "60",
                    "--topic",
                    "org.fedoraproject.dev.releng.");
            try {
                BlockingQueue<JsonNode> lines = readLines(tail);
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            publisher.publish(message("warm-up"));
                            return !lines.isEmpty();
                        });
                List<BusMessage> sent = List.of(message("first"), message("second \u4e2d\u6587"), message("third"));
                for (BusMessage m : sent) {
                    publisher.publish(m);
                }

                List<JsonNode> received = new ArrayList<>();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    lines.drainTo(received);
                    return received.stream()
                                    .filter(l -> !title(l).equals("warm-up"))
                                    .count()
                            >= 3;
                });
                List<JsonNode> real = received.stream()
                        .filter(l -> !title(l).equals("warm-up"))
                        .toList();
                assertThat(real)
                        .extracting(ZmqFedmsgPublisherIT::title)
                        .containsExactly("first", "second \u4e2d\u6587", "third");
                for (int k = 0; k < real.size(); k++) {
                    JsonNode line = real.get(k);
                    assertThat(line.get("topic").textValue()).isEqualTo(FULL_TOPIC);
                    assertThat(line.get("envelope").get("msg_id").textValue())
                            .endsWith(sent.get(k).id());
                    if (k > 0) {
                        assertThat(line.get("envelope").get("i").longValue())
                                .isEqualTo(
                                        real.get(k - 1).get("envelope").get("i").longValue() + 1);
                    }
                    Python.Result verdict = Python.run(
                            line.get("raw").textValue().getBytes(StandardCharsets.UTF_8),
                            Python.peer("fedmsg_verify.py"),
                            "--ca",
                            ca.caCert().toString());
                    assertThat(verdict.out()).isEqualTo("OK releng-workflow.example\n");
                }
            } finally {
                tail.destroy();
                tail.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A jeromq SUB socket that gives up a stuck handshake after a second: jeromq 0.6.0 now and
     * then leaves a new connection between two jeromq peers stuck before the ZMTP greeting, and
     * only the handshake timer (30 s by default) gets it going again.
     */
    private static ZMQ.Socket subscriber(ZContext context) {
        ZMQ.Socket sub = context.createSocket(SocketType.SUB);
        sub.setHandshakeIvl(1_000);
        return sub;
    }

    /**
     * ZeroMQ's slow joiner: a PUB drops messages until the subscription has arrived, so send
     * probes until one gets through. Returns how many probes were sent.
     */
    private static int awaitSubscribed(ZmqFedmsgPublisher publisher, ZMQ.Socket sub) {
        BusMessage probe = new BusMessage(
                UUID.randomUUID().toString(),
                PROBE_TOPIC,
                JsonNodeFactory.instance.objectNode(),
                Instant.now(),
                List.of());
        int[] sent = new int[1];
        await().atMost(Duration.ofSeconds(20))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    publisher.publish(probe);
                    sent[0]++;
                    return ZMsg.recvMsg(sub, ZMQ.DONTWAIT) != null;
                });
        return sent[0];
    }

    /** The next message that is not a probe, waiting up to 10 s. */
    private static ZMsg nextFrames(ZMQ.Socket sub) {
        sub.setReceiveTimeOut(10_000);
        while (true) {
            ZMsg frames = ZMsg.recvMsg(sub);
            assertThat(frames).as("a message within 10 s").isNotNull();
            if (!frames.peekFirst().getString(StandardCharsets.UTF_8).endsWith(PROBE_TOPIC)) {
                return frames;
            }
        }
    }

    private static JsonNode nextMessage(ZMQ.Socket sub) throws Exception {
        ZMsg frames = nextFrames(sub);
        frames.pop();
        return JSON.readTree(frames.pop().getString(StandardCharsets.UTF_8));
    }

    private static BlockingQueue<JsonNode> readLines(Process process) {
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            lines.add(JSON.readTree(line));
                        }
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "fedmsg_tail reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String title(JsonNode line) {
        return line.get("envelope").get("msg").path("title").asText();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static BusMessage message(String title) {
        ObjectNode body =
                JsonNodeFactory.instance.objectNode().put("title", title).put("number", 42);
        body.putObject("agent").put("name", "alice");
        return new BusMessage(
                UUID.randomUUID().toString(),
                "releng.workflow.start",
                body,
                Instant.parse("2026-11-25T01:02:03.456Z").truncatedTo(ChronoUnit.MILLIS),
                List.of("alice"));
    }

    /**
     * What fedmsg-relay does: a SUB socket bound on the inbound endpoint that active publishers
     * connect to, and everything it hears re-published on a bound PUB endpoint.
     */
    private static final class RelayStandIn implements AutoCloseable {
        final ZContext context = new ZContext();
        final String inbound;
        final String outbound;
        final Thread forwarder;
        volatile boolean running = true;

        RelayStandIn() {
            ZMQ.Socket in = subscriber(context);
            in.subscribe("");
            in.bind("tcp://127.0.0.1:*");
            in.setReceiveTimeOut(100);
            inbound = in.getLastEndpoint();
            ZMQ.Socket out = context.createSocket(SocketType.PUB);
            out.bind("tcp://127.0.0.1:*");
            outbound = out.getLastEndpoint();
            forwarder = new Thread(
                    () -> {
                        while (running) {
                            ZMsg frames = ZMsg.recvMsg(in);
                            if (frames != null) {
                                frames.send(out);
                            }
                        }
                    },
                    "relay stand-in");
            forwarder.start();
        }

        @Override
        public void close() {
            running = false;
            try {
                forwarder.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            context.close();
        }
    }
}
