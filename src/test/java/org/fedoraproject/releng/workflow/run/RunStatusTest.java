package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunStatusTest {

    @Test
    void queuedRunStartsIsCancelledOrFailsBeforeStarting() {
        assertThat(RunStatus.QUEUED.canBecome(RunStatus.RUNNING)).isTrue();
        assertThat(RunStatus.QUEUED.canBecome(RunStatus.CANCELLED)).isTrue();
        assertThat(RunStatus.QUEUED.canBecome(RunStatus.FAILED)).isTrue();
        assertThat(RunStatus.QUEUED.canBecome(RunStatus.SUCCEEDED)).isFalse();
        assertThat(RunStatus.QUEUED.canBecome(RunStatus.LOST)).isFalse();
    }

    @Test
    void runningRunEndsInAnyFinalStatus() {
        for (RunStatus end : new RunStatus[] {RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.TIMED_OUT, RunStatus.LOST}) {
            assertThat(RunStatus.RUNNING.canBecome(end)).as(end.id()).isTrue();
            assertThat(end.isFinal()).isTrue();
        }
    }

    @Test
    void finishedRunNeverChangesAgain() {
        Run done = new Run(1, "w", 1, RunStatus.SUCCEEDED, Cause.api("bot"), JsonNodeFactory.instance.objectNode(),
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, 0, "n", false);
        assertThatThrownBy(() -> done.to(RunStatus.CANCELLED)).isInstanceOf(IllegalTransitionException.class)
                .hasMessage("run 1 is succeeded and cannot become cancelled");
    }

    @Test
    void statusIdsAreTheApiNames() {
        assertThat(RunStatus.TIMED_OUT.id()).isEqualTo("timed_out");
        assertThat(RunStatus.parse("lost")).isEqualTo(RunStatus.LOST);
        assertThatThrownBy(() -> RunStatus.parse("done")).hasMessageStartingWith("unknown status `done`");
    }
}
