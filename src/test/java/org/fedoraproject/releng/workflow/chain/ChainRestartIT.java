package org.fedoraproject.releng.workflow.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.ChildEngine;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine process is killed (SIGKILL) while a chain's step runs. The engine started again on the
 * same data continues the chain: the step that ran is lost, the one before it is not run again,
 * the failure path runs, and the chain run itself was never lost.
 */
class ChainRestartIT {

    @TempDir
    Path home;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aChainContinuesAfterItsEngineIsKilledMidStep() throws Exception {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("chain-workflows"), catalog);
        long chainId;
        long before;
        long nap;
        ChildEngine crashing = ChildEngine.start(home);
        try {
            chainId = crashing.trigger("nap-then-note", "{\"seconds\": 120}");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        JsonNode step = ChainIT.steps(chain(crashing, chainId)).get("nap");
                        return step.get("status").asText().equals("running");
                    });
            JsonNode running = chain(crashing, chainId);
            before = ChainIT.stepRun(running, "before");
            nap = ChainIT.stepRun(running, "nap");
        } finally {
            crashing.kill();
        }
        try (TestEngine restarted = TestEngine.startWith(home, catalog, null, Map.of())) {
            JsonNode done = restarted.awaitFinal(chainId);

            assertThat(done.get("status").asText())
                    .as("the failure path handles the lost step")
                    .isEqualTo("succeeded");
            Map<String, JsonNode> steps = ChainIT.steps(done);
            assertThat(steps.get("nap").get("status").asText()).isEqualTo("lost");
            assertThat(ChainIT.stepRun(done, "nap")).isEqualTo(nap);
            assertThat(ChainIT.stepRun(done, "before"))
                    .as("a finished step is not run again")
                    .isEqualTo(before);
            assertThat(steps.get("note").get("status").asText()).isEqualTo("skipped");
            assertThat(steps.get("woke-badly").get("status").asText()).isEqualTo("succeeded");
            JsonNode echoes = restarted.read(
                    restarted.getWithToken("/api/runs?workflow=echo-params").body());
            assertThat(echoes.get("runs")).as("before, and woke-badly").hasSize(2);
            assertThat(restarted.engine().runs().transitions(chainId))
                    .as("the chain run was never lost")
                    .noneMatch(t -> t.to().id().equals("lost"));
        }
    }

    private JsonNode chain(ChildEngine engine, long id) throws Exception {
        return json.readTree(engine.get("/api/runs/" + id).body());
    }
}
