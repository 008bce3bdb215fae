package org.fedoraproject.releng.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedoraproject.releng.workflow.run.RunStatus;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @Test
    void everyFinalStatusOfTheEngineEndsAFollowAndNoOtherDoes() {
        for (RunStatus status : RunStatus.values()) {
            assertThat(ExitCode.isFinal(status.id())).as(status.id()).isEqualTo(status.isFinal());
        }
    }

    @Test
    void aRejectedRunCountsAsAFailure() {
        assertThat(ExitCode.ofRunStatus("rejected")).isEqualTo(ExitCode.RUN_FAILED);
    }
}
