package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.FedmsgConfig;
import org.fedoraproject.releng.workflow.messaging.BusMessage;
import org.fedoraproject.releng.workflow.messaging.fedmsg.ZmqFedmsgPublisher;
import org.fedoraproject.releng.workflow.testsupport.Scrape;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #10, item 6: each message a trigger hears is counted once, as received and, if it matched, as matched. */
class TriggerMetricsIT {

    @TempDir
    Path home;

    @Test
    void eachHeardMessageCountsOnceAsReceivedAndOnlyMatchingOnesAsMatched() throws Exception {
        String endpoint = "tcp://127.0.0.1:" + FedmsgTriggersIT.freePort();
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("triggered-workflows"), catalog);
        try (ZmqFedmsgPublisher bus = new ZmqFedmsgPublisher(
                        new FedmsgConfig(true, "org.fedoraproject", "test", endpoint, null, null));
                TestEngine engine = TestEngine.startWith(
                        home, catalog, "triggers:\n  fedmsg: {endpoints: [\"" + endpoint + "\"]}\n", Map.of())) {
            // the slow joiner: repeat one message until it is heard, then a second as a fence behind
            // every copy of the first, so that the counts read next are final
            BusMessage first = FedmsgTriggersIT.tagged("f42-updates", "glibc-2.41-1.fc42");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        bus.publish(first);
                        return !FedmsgTriggersIT.runsOf(engine, "on-tag").isEmpty();
                    });
            bus.publish(FedmsgTriggersIT.tagged("f42-updates", "bash-5.2-1.fc42"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> FedmsgTriggersIT.runsOf(engine, "on-tag").size() == 2);
            Scrape before = Scrape.of(engine);

            // heard (the topic is subscribed) but refused by the trigger's filter
            bus.publish(FedmsgTriggersIT.tagged("f41-updates", "bash-5.2-1.fc41"));
            bus.publish(FedmsgTriggersIT.tagged("f42-updates", "zsh-5.9-1.fc42"));
            // one subscriber thread handles messages in order: the third run means both were handled
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> FedmsgTriggersIT.runsOf(engine, "on-tag").size() == 3);

            Scrape after = Scrape.of(engine);
            Map<String, String> fedmsg = Map.of("bus", "fedmsg");
            assertThat(after.since(before, "releng_trigger_messages_received_total", fedmsg))
                    .isEqualTo(2);
            assertThat(after.since(before, "releng_trigger_messages_matched_total", fedmsg))
                    .isEqualTo(1);
            assertThat(after.since(before, "releng_trigger_messages_dropped_total", fedmsg))
                    .isZero();
        }
    }
}
