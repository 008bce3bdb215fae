package org.fedoraproject.releng.workflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.events.HostRecap;
import org.fedoraproject.releng.workflow.events.RunSummary;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.junit.jupiter.api.Test;

class RunMessagesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");

    private static final Links URLS = new Links("http://engine");

    private static Run run(RunStatus status) {
        return new Run(
                3,
                "compose-nightly",
                12,
                status,
                Cause.api("releng-bot"),
                JsonNodeFactory.instance.objectNode(),
                T0,
                T0.plusSeconds(1),
                status.isFinal() ? T0.plusSeconds(60) : null,
                status.isFinal() ? 0 : null,
                "node",
                false,
                LaunchOptions.NONE);
    }

    @Test
    void theCompleteMessageCarriesTheOutputsTheRecapAndDryRun() {
        ObjectNode outputs = JsonNodeFactory.instance.objectNode().put("compose_id", "Fedora-Rawhide-20261201.n.0");
        RunSummary summary = new RunSummary(
                RunSummary.State.COMPLETE,
                null,
                9,
                true,
                List.of(new HostRecap("localhost", 5, 1, 0, 0, 0, 0, 0)),
                outputs);
        RunMessages messages = new RunMessages(URLS, id -> id == 3 ? Optional.of(summary) : Optional.empty());

        ObjectNode body = messages.forTransition(run(RunStatus.SUCCEEDED), Optional.empty(), 0, T0)
                .orElseThrow()
                .body();

        assertThat(body.at("/outputs/compose_id").asText()).isEqualTo("Fedora-Rawhide-20261201.n.0");
        assertThat(body.at("/hosts/0/host").asText()).isEqualTo("localhost");
        assertThat(body.at("/hosts/0/changed").asInt()).isEqualTo(1);
        assertThat(body.get("dry_run").asBoolean()).isTrue();
    }

    @Test
    void aRunWithoutEventsCompletesWithEmptyOutputsAndTheStartMessageHasNone() {
        RunMessages messages = new RunMessages(URLS, id -> Optional.empty());

        ObjectNode complete = messages.forTransition(run(RunStatus.FAILED), Optional.empty(), 0, T0)
                .orElseThrow()
                .body();
        ObjectNode start = messages.forTransition(run(RunStatus.RUNNING), Optional.empty(), 0, T0)
                .orElseThrow()
                .body();

        assertThat(complete.get("outputs").isEmpty()).isTrue();
        assertThat(complete.get("hosts").isEmpty()).isTrue();
        assertThat(complete.get("dry_run").asBoolean()).isFalse();
        assertThat(start.has("outputs")).isFalse();
    }
}
