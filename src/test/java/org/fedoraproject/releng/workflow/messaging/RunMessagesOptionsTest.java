package org.fedoraproject.releng.workflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.junit.jupiter.api.Test;

/** A dry run must read as one on the bus: start and complete carry the run's launch options. */
class RunMessagesOptionsTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    final RunMessages messages = new RunMessages(new Links("http://engine"));

    static Run run(RunStatus status, LaunchOptions options) {
        return new Run(
                7,
                "compose-nightly",
                3,
                status,
                Cause.manual("alice"),
                JsonNodeFactory.instance.objectNode(),
                T0,
                T0.plusSeconds(1),
                status.isFinal() ? T0.plusSeconds(9) : null,
                status.isFinal() ? 0 : null,
                "node-a",
                false,
                options);
    }

    @Test
    void startAndCompleteCarryTheOptions() {
        LaunchOptions dry = new LaunchOptions(true, false, "compose-x86-*", List.of("sync"), List.of(), 1);

        for (RunStatus status : List.of(RunStatus.RUNNING, RunStatus.SUCCEEDED)) {
            BusMessage m = messages.forTransition(run(status, dry), Optional.empty(), 0, T0)
                    .orElseThrow();
            assertThat(m.body().get("options")).isEqualTo(dry.toJson());
            assertThat(m.body().at("/options/check").asBoolean()).isTrue();
        }
    }

    @Test
    void aRunWithoutOptionsSaysSo() {
        BusMessage m = messages.forTransition(run(RunStatus.RUNNING, LaunchOptions.NONE), Optional.empty(), 0, T0)
                .orElseThrow();

        assertThat(m.body().at("/options/check").asBoolean(true)).isFalse();
        assertThat(m.body().at("/options/limit").isNull()).isTrue();
    }
}
