package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.Python;
import org.fedoraproject.releng.workflow.testsupport.TestCertificates;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.fedoraproject.releng.workflow.trigger.DroppedMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat: whoever can put a message on the fedmsg bus (a relay accepts anyone's, a hub can be
 * impersonated on the network) starts workflows. With {@code validateSignatures}, a real Python
 * publisher sends, over and over, one message signed as fedmsg signs by the sender the routing
 * policy allows, and five that must start nothing: unsigned, signed by a certificate from another
 * CA (with the same name), changed after signing, signed by a sender the policy does not allow
 * for the topic, and a genuine signed message replayed under another topic frame.
 */
class AuthenticTriggersIT {

    static final String STABLE = "org.fedoraproject.test.bodhi.update.request.stable";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void onlyAMessageSignedByTheSenderThePolicyAllowsStartsARun() throws Exception {
        Path certs = Files.createDirectories(home.resolve("certs"));
        TestCertificates fedmsgCa = TestCertificates.newAuthority(certs, "fedmsg");
        TestCertificates.Issued bodhi = fedmsgCa.issue("bodhi-bodhi01.stg", false);
        TestCertificates.Issued koji = fedmsgCa.issue("koji-koji01.stg", true);
        TestCertificates.Issued impostor = TestCertificates.newAuthority(
                        Files.createDirectories(home.resolve("impostor")), "impostor")
                .issue("bodhi-bodhi01.stg", false);

        ArrayNode messages = JSON.createArrayNode();
        messages.add(message("2026-genuine", "genuine-1").set("sign", signer(bodhi)));
        messages.add(message("2026-unsigned", "unsigned-1"));
        messages.add(message("2026-impostor", "impostor-1").set("sign", signer(impostor)));
        messages.add(message("2026-tampered", "original-1")
                .<ObjectNode>set("sign", signer(bodhi))
                .set("after_signing", JSON.createObjectNode().put("build", "tampered-1")));
        messages.add(message("2026-koji", "koji-1").set("sign", signer(koji)));
        messages.add(message("2026-replayed", "replayed-1")
                .<ObjectNode>set("sign", signer(bodhi))
                .put("signed_topic", "org.fedoraproject.test.bodhi.update.comment"));
        Path file = home.resolve("messages.json");
        Files.writeString(file, messages.toString());

        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("triggered-workflows"), catalog);
        Files.writeString(catalog.resolve("on-stable.yaml"), """
                id: on-stable
                title: Push what Bodhi says is stable
                playbook: playbooks/print-message.yml
                concurrency: {limit: 4, policy: queue}
                triggers:
                  - {bus: fedmsg, topic: %s}
                """.formatted(STABLE));
        String endpoint = "tcp://127.0.0.1:" + freePort();
        String config = "triggers:\n"
                + "  fedmsg:\n"
                + "    endpoints: [\"" + endpoint + "\"]\n"
                + "    validateSignatures: true\n"
                + "    caFile: " + fedmsgCa.caCert() + "\n"
                + "    routingPolicy:\n"
                + "      " + STABLE + ": [bodhi-bodhi01.stg]\n";

        Process publisher = Python.start(Python.peer("fedmsg_publish.py"), endpoint, file.toString());
        try (CapturedLog dropped = new CapturedLog(DroppedMessages.class)) {
            String bound = new BufferedReader(new InputStreamReader(publisher.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (!("bound " + endpoint).equals(bound)) {
                throw new AssertionError("fedmsg_publish.py did not bind " + endpoint + ": "
                        + new String(publisher.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            try (TestEngine engine = TestEngine.startWith(home, catalog, config, Map.of())) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> !runsOf(engine, "on-stable").isEmpty());
                // the publisher repeats every message: once each refusal was counted, each was heard
                // (and would have started its run by now had it been accepted)
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(engine.get("/metrics").body())
                                .contains(
                                        dropped("unsigned"),
                                        dropped("untrusted_certificate"),
                                        dropped("bad_signature"),
                                        dropped("routing_policy")));
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(
                                () -> assertThat(dropped.lines())
                                        .anySatisfy(l -> assertThat(l)
                                                .contains("2026-unsigned", "(unsigned): no signature field"))
                                        .anySatisfy(l -> assertThat(l)
                                                .contains(
                                                        "2026-impostor",
                                                        "(untrusted_certificate)",
                                                        "CN=bodhi-bodhi01.stg is not trusted"))
                                        .anySatisfy(l -> assertThat(l)
                                                .contains(
                                                        "2026-tampered",
                                                        "(bad_signature)",
                                                        "does not match the message"))
                                        .anySatisfy(l -> assertThat(l)
                                                .contains(
                                                        "2026-koji",
                                                        "(routing_policy)",
                                                        "certificate `koji-koji01.stg` may not send `" + STABLE + "`"))
                                        .anySatisfy(
                                                l -> assertThat(l)
                                                        .contains(
                                                                "2026-replayed",
                                                                "(bad_signature)",
                                                                "topic frame `" + STABLE
                                                                        + "` is not the signed topic `org.fedoraproject.test.bodhi.update.comment`")));

                List<JsonNode> runs = runsOf(engine, "on-stable");
                assertThat(runs).hasSize(1);
                assertThat(runs.get(0).get("cause").get("detail").asText()).isEqualTo(STABLE + " 2026-genuine");
                long id = runs.get(0).get("id").asLong();
                assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");
                assertThat(engine.log(id)).contains("build=genuine-1 topic=" + STABLE + " id=2026-genuine");
            }
        } finally {
            publisher.destroy();
        }
    }

    static ObjectNode message(String id, String build) {
        ObjectNode m = JSON.createObjectNode().put("topic", STABLE).put("msg_id", id);
        m.putObject("msg").put("build", build).put("update", "FEDORA-2026-" + build);
        return m;
    }

    static ObjectNode signer(TestCertificates.Issued issued) {
        return JSON.createObjectNode()
                .put("cert", issued.cert().toString())
                .put("key", issued.key().toString());
    }

    static String dropped(String reason) {
        return "releng_trigger_messages_dropped_total{bus=\"fedmsg\",reason=\"" + reason + "\",}";
    }

    static List<JsonNode> runsOf(TestEngine engine, String workflow) {
        List<JsonNode> runs = new ArrayList<>();
        engine.read(engine.getWithToken("/api/runs?workflow=" + workflow).body())
                .get("runs")
                .forEach(runs::add);
        return runs;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
