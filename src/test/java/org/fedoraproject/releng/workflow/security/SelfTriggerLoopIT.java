package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.run.CauseChain;
import org.fedoraproject.releng.workflow.testsupport.RabbitMqServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.fedoraproject.releng.workflow.trigger.DroppedMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat: a workflow triggered by run announcements starts a run for its own announcement, and so
 * on for ever (or two workflows, or two engines, feed each other). A real RabbitMQ carries the
 * engine's own {@code releng.workflow.complete} back to it; the workflow accepts it on purpose
 * ({@code allowSelf} with a filter). The chain stops after {@link CauseChain#MAX_DEPTH} runs
 * caused by messages: the first run and five more, and the next announcement is dropped as a loop.
 */
class SelfTriggerLoopIT {

    @TempDir
    Path home;

    @Test
    void aWorkflowTriggeredByItsOwnCompletionRunsAtMostMaxDepthMoreTimes() throws Exception {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(
                TestEngine.FIXTURES.resolve("triggered-workflows").resolve("playbooks"), catalog.resolve("playbooks"));
        Files.copy(
                TestEngine.FIXTURES.resolve("triggered-workflows").resolve("ansible.cfg"),
                catalog.resolve("ansible.cfg"));
        Files.writeString(catalog.resolve("self-loop.yaml"), """
                id: self-loop
                title: Starts again when it completes
                playbook: playbooks/print-message.yml
                triggers:
                  - bus: amqp
                    topic: org.fedoraproject.test.releng.workflow.complete
                    allowSelf: true
                    filter: "$.msg.workflow == 'self-loop'"
                """);
        try (RabbitMqServer broker = RabbitMqServer.launch();
                CapturedLog dropped = new CapturedLog(DroppedMessages.class)) {
            String url = broker.amqpUrl();
            try (TestEngine engine = TestEngine.startWith(
                    home,
                    catalog,
                    "messaging:\n"
                            + "  amqp: {enabled: true, url: \"" + url
                            + "\", topicPrefix: org.fedoraproject, environment: test}\n"
                            + "triggers:\n"
                            + "  amqp: {enabled: true, url: \"" + url + "\", queue: releng-loop-test}\n",
                    Map.of())) {
                // the queue must be bound before the first announcement is published
                await().atMost(Duration.ofSeconds(60)).until(() -> queueBound(broker));
                engine.trigger("self-loop", "{}");

                String loop = "releng_trigger_messages_dropped_total{bus=\"amqp\",reason=\"loop\",} 1.0";
                await().atMost(Duration.ofSeconds(180))
                        .until(() -> engine.get("/metrics").body().contains(loop));

                // the dropped announcement was the last message of the chain: nothing more can come
                List<JsonNode> runs = runsOf(engine);
                assertThat(runs).hasSize(CauseChain.MAX_DEPTH + 1);
                assertThat(runs.get(runs.size() - 1).get("cause").get("type").asText())
                        .isNotEqualTo("message");
                assertThat(runs.subList(0, runs.size() - 1))
                        .allSatisfy(r ->
                                assertThat(r.get("cause").get("type").asText()).isEqualTo("message"));
                assertThat(dropped.lines())
                        .anySatisfy(
                                l -> assertThat(l)
                                        .startsWith("WARN amqp message")
                                        .contains(
                                                "on org.fedoraproject.test.releng.workflow.complete dropped (loop): the run it announces"
                                                        + " is 5 deep in a chain of runs started by run announcements (limit 5); not starting self-loop"));
                // the depth travels in the announcements: the newest run was started by the fifth run's
                assertThat(engine.run(runs.get(0).get("id").asLong())
                                .get("triggeredBy")
                                .get("body")
                                .get(CauseChain.FIELD)
                                .asInt())
                        .isEqualTo(CauseChain.MAX_DEPTH - 1);
            }
        }
    }

    static boolean queueBound(RabbitMqServer broker) {
        try (var connection = broker.connect("loop test probe");
                var channel = connection.createChannel()) {
            return channel.queueDeclarePassive("releng-loop-test").getConsumerCount() == 1;
        } catch (Exception e) {
            return false;
        }
    }

    static List<JsonNode> runsOf(TestEngine engine) {
        List<JsonNode> runs = new ArrayList<>();
        engine.read(engine.getWithToken("/api/runs?workflow=self-loop").body())
                .get("runs")
                .forEach(runs::add);
        return runs;
    }
}
