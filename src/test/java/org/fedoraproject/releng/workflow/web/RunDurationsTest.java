package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.junit.jupiter.api.Test;

class RunDurationsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private static Run run(long number, RunStatus status, Long seconds) {
        return new Run(
                number,
                "compose",
                number,
                status,
                Cause.manual("alice"),
                JsonNodeFactory.instance.objectNode(),
                T0,
                seconds == null ? null : T0,
                seconds == null || !status.isFinal() ? null : T0.plusSeconds(seconds),
                null,
                "node-a",
                false,
                LaunchOptions.NONE);
    }

    @Test
    void theExpectedDurationIsTheMedianOfFinishedRuns() {
        assertThat(RunDurations.medianSeconds(List.of(
                        run(1, RunStatus.SUCCEEDED, 10L),
                        run(2, RunStatus.SUCCEEDED, 300L),
                        run(3, RunStatus.SUCCEEDED, 20L))))
                .isEqualTo(20);
        assertThat(RunDurations.medianSeconds(
                        List.of(run(1, RunStatus.SUCCEEDED, 10L), run(2, RunStatus.SUCCEEDED, 30L))))
                .isEqualTo(20);
        assertThat(RunDurations.medianSeconds(List.of())).isNull();
    }

    @Test
    void theTrendDrawsStartedRunsOldestFirstScaledToTheLongestWithTheirStatus() {
        List<RunDurations.Bar> bars = RunDurations.trend(List.of(
                run(4, RunStatus.QUEUED, null), run(3, RunStatus.FAILED, 50L), run(2, RunStatus.SUCCEEDED, 100L)));

        assertThat(bars).extracting(RunDurations.Bar::status).containsExactly("succeeded", "failed");
        assertThat(bars.get(0).height()).isEqualTo(RunDurations.TREND_HEIGHT - 4);
        assertThat(bars.get(1).height()).isEqualTo((RunDurations.TREND_HEIGHT - 4) / 2);
        assertThat(bars.get(0).y() + bars.get(0).height()).isEqualTo(RunDurations.TREND_HEIGHT);
        assertThat(bars.get(1).x()).isGreaterThan(bars.get(0).x());
        assertThat(bars.get(1).title()).isEqualTo("#3 failed, 50 s");
    }
}
