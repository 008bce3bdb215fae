package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        for (RunStatus end : new RunStatus[] {
            RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.TIMED_OUT, RunStatus.LOST
        }) {
            assertThat(RunStatus.RUNNING.canBecome(end)).as(end.id()).isTrue();
            assertThat(end.isFinal()).isTrue();
        }
    }

    @Test
    void finishedRunNeverChangesAgain() {
        for (RunStatus end : RunStatus.values()) {
            if (end.isFinal()) {
                for (RunStatus next : RunStatus.values()) {
                    assertThat(end.canBecome(next))
                            .as(end.id() + " -> " + next.id())
                            .isFalse();
                }
            }
        }
    }

    @Test
    void statusIdsAreTheApiNames() {
        assertThat(RunStatus.TIMED_OUT.id()).isEqualTo("timed_out");
        assertThat(RunStatus.parse("lost")).isEqualTo(RunStatus.LOST);
        assertThat(RunStatus.parse("waiting_approval")).isEqualTo(RunStatus.WAITING_APPROVAL);
        assertThat(RunStatus.parse("rejected")).isEqualTo(RunStatus.REJECTED);
        assertThatThrownBy(() -> RunStatus.parse("done"))
                .hasMessageStartingWith("unknown status `done`")
                .hasMessageContaining("waiting_approval")
                .hasMessageContaining("rejected");
    }
}
