package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fedoraproject.releng.workflow.config.FedmsgConfig;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.messaging.fedmsg.ZmqFedmsgPublisher;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real fedmsg publisher (bound on a loopback port, as a fedmsg hub is) and an engine whose
 * fedmsg triggers connect to it: a matching message starts one run however often it is heard, a
 * message the filter refuses starts none, and the playbook sees the message.
 */
class FedmsgTriggersIT {

    @TempDir
    Path home;

    static BusMessage tagged(String tag, String build) {
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("tag", tag)
                .put("build", build)
                .put("owner", "bodhi");
        return new BusMessage(UUID.randomUUID().toString(), "buildsys.tag", body, Instant.now(), List.of());
    }

    /** The msg_id fedmsg's envelope carries for a bus message: {@code <year>-<uuid>}. */
    static String msgId(BusMessage m) {
        return m.createdAt().atZone(ZoneOffset.UTC).getYear() + "-" + m.id();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<JsonNode> runsOf(TestEngine engine, String workflow) {
        List<JsonNode> runs = new ArrayList<>();
        engine.read(engine.getWithToken("/api/runs?workflow=" + workflow).body())
                .get("runs")
                .forEach(runs::add);
        return runs;
    }

    @Test
    void matchingMessageStartsOneRunEvenWhenHeardAgainAndTheFilterKeepsOthersOut() throws Exception {
        String endpoint = "tcp://127.0.0.1:" + freePort();
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("triggered-workflows"), catalog);
        try (ZmqFedmsgPublisher bus = new ZmqFedmsgPublisher(
                        new FedmsgConfig(true, "org.fedoraproject", "test", endpoint, null, null));
                TestEngine engine = TestEngine.startWith(
                        home, catalog, "triggers:\n  fedmsg: {endpoints: [\"" + endpoint + "\"]}\n", Map.of())) {
            BusMessage first = tagged("f42-updates", "glibc-2.41-1.fc42");
            // ZeroMQ's slow joiner drops what is sent before the subscription arrives: send the same
            // message until it is heard; every copy after the first is a duplicate
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        bus.publish(first);
                        return !runsOf(engine, "on-tag").isEmpty();
                    });
            bus.publish(first);
            bus.publish(tagged("f41-updates", "bash-5.2-1.fc41"));
            bus.publish(new BusMessage(
                    UUID.randomUUID().toString(),
                    "buildsys.untag",
                    JsonNodeFactory.instance.objectNode().put("tag", "f42-updates"),
                    Instant.now(),
                    List.of()));
            BusMessage second = tagged("f42-updates", "bash-5.2-1.fc42");
            bus.publish(second);

            // one subscriber thread handles messages in the order sent: once the second has its
            // run, everything before it was handled too
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> runsOf(engine, "on-tag").size() >= 2);
            List<JsonNode> runs = runsOf(engine, "on-tag");
            assertThat(runs).hasSize(2);
            JsonNode firstRun = runs.get(1);
            JsonNode secondRun = runs.get(0);
            assertThat(firstRun.get("cause").get("type").asText()).isEqualTo("message");
            assertThat(firstRun.get("cause").get("user").isNull()).isTrue();
            assertThat(firstRun.get("cause").get("detail").asText())
                    .isEqualTo("org.fedoraproject.test.buildsys.tag " + msgId(first));
            assertThat(secondRun.get("cause").get("detail").asText()).endsWith(" " + msgId(second));
            assertThat(firstRun.get("parameters").toString()).isEqualTo("{\"release\":\"42\"}");

            long id = firstRun.get("id").asLong();
            assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");
            assertThat(engine.log(id))
                    .contains("Started by a bus message (org.fedoraproject.test.buildsys.tag " + msgId(first) + ")")
                    .contains("build=glibc-2.41-1.fc42 topic=org.fedoraproject.test.buildsys.tag id=" + msgId(first)
                            + " cause=message release=42");
            JsonNode message = engine.run(id).get("triggeredBy");
            assertThat(message.get("bus").asText()).isEqualTo("fedmsg");
            assertThat(message.get("topic").asText()).isEqualTo("org.fedoraproject.test.buildsys.tag");
            assertThat(message.get("id").asText()).isEqualTo(msgId(first));
            assertThat(message.get("body").get("build").asText()).isEqualTo("glibc-2.41-1.fc42");
            String page = engine.get("/job/on-tag/1/").body();
            assertThat(page)
                    .contains("id=\"message-id\">" + msgId(first))
                    .contains("glibc-2.41-1.fc42")
                    .contains("href=\"#trigger-message\"");
            assertThat(engine.log(engine.awaitFinal(secondRun.get("id").asLong())
                            .get("id")
                            .asLong()))
                    .contains("build=bash-5.2-1.fc42");
        }
    }
}
