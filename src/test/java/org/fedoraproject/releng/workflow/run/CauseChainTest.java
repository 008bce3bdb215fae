package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CauseChainTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String COMPLETE = "org.fedoraproject.prod.releng.workflow.complete";

    static int depth(String topic, String body) throws Exception {
        return CauseChain.depthOf(topic, JSON.readTree(body));
    }

    @Test
    void aRunStartedByAnAnnouncementIsOneDeeperThanTheAnnouncedRun() throws Exception {
        assertThat(depth(COMPLETE, "{\"run_id\":7,\"cause_depth\":0}")).isEqualTo(1);
        assertThat(depth(COMPLETE, "{\"run_id\":7,\"cause_depth\":5}")).isEqualTo(6);
        assertThat(CauseChain.tooDeep(6)).isTrue();
        assertThat(CauseChain.tooDeep(CauseChain.MAX_DEPTH)).isFalse();
        assertThat(depth(COMPLETE, "{\"cause_depth\":2147483647}")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void otherMessagesStartChains() throws Exception {
        assertThat(depth("org.fedoraproject.prod.buildsys.tag", "{\"tag\":\"f42-updates\"}"))
                .isZero();
        assertThat(CauseChain.depthOf(Optional.empty())).isZero();
        assertThat(CauseChain.depthOf(Optional.of(
                        new TriggerMessage("amqp", COMPLETE, "id", JSON.readTree("{\"run_id\":3,\"cause_depth\":3}")))))
                .isEqualTo(4);
    }

    @Test
    void anAnnouncementWithoutAUsableDepthCountsAsOneHop() throws Exception {
        assertThat(depth(COMPLETE, "{\"run_id\":7}")).isEqualTo(1);
        assertThat(depth(COMPLETE, "{\"run_id\":7,\"cause_depth\":-40}")).isEqualTo(1);
        assertThat(depth(COMPLETE, "{\"run_id\":7,\"cause_depth\":\"9\"}")).isEqualTo(1);
        assertThat(depth(COMPLETE, "{\"run_id\":7,\"cause_depth\":1.5}")).isEqualTo(1);
    }
}
