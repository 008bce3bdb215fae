package org.fedoraproject.releng.workflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import org.fedoraproject.releng.workflow.catalog.CronText;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;

/** {@code schedule.missed}: which due times still start a run when the scheduler hands them over late. */
class MissedDueTimesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    private final SettableClock clock = SettableClock.frozenAt(NOW);
    private final MissedDueTimes rule = new MissedDueTimes(clock);

    @Test
    void skipRunsADueTimeThatIsOnlyLate() {
        assertThat(rule.skips("skip", NOW)).isFalse();
        assertThat(rule.skips("skip", NOW.minusSeconds(20))).isFalse();
        assertThat(rule.skips("skip", NOW.minus(MissedDueTimes.MISSED_AFTER))).isFalse();
        // another node's clock may be a little ahead: a due time "in the future" is not missed
        assertThat(rule.skips("skip", NOW.plusSeconds(5))).isFalse();
    }

    @Test
    void skipDropsADueTimeMissedWhileTheEngineWasDown() {
        assertThat(rule.skips("skip", NOW.minus(MissedDueTimes.MISSED_AFTER).minusSeconds(1)))
                .isTrue();
        assertThat(rule.skips("skip", NOW.minus(Duration.ofHours(5)))).isTrue();
    }

    @Test
    void runOnceRunsAMissedDueTimeHoweverOld() {
        assertThat(rule.skips("run-once", NOW.minus(MissedDueTimes.MISSED_AFTER).minusSeconds(1)))
                .isFalse();
        assertThat(rule.skips("run-once", NOW.minus(Duration.ofHours(5)))).isFalse();
        assertThat(rule.skips("run-once", NOW.minus(Duration.ofDays(30)))).isFalse();
    }

    @Test
    void theSameDueTimeBecomesMissedAsTheClockMovesOn() {
        Instant due = NOW.minusSeconds(30);
        assertThat(rule.skips("skip", due)).isFalse();
        clock.advance(MissedDueTimes.MISSED_AFTER);
        assertThat(rule.skips("skip", due)).isTrue();
        assertThat(rule.skips("run-once", due)).isFalse();
    }

    @Test
    void severalMissedDueTimesMakeAtMostOneRun() {
        // nightly at 03:00 Prague (02:00 UTC in winter); every node was down for three nights
        Schedule nightly = CronText.schedule("0 3 * * *", "Europe/Prague");
        Instant oldestMissed = Instant.parse("2026-11-22T02:00:00Z");
        assertThat(rule.skips("skip", oldestMissed)).isTrue();
        assertThat(rule.skips("run-once", oldestMissed)).isFalse();

        // whether that one ran or was skipped, the next due time counts from now: the other two
        // missed nights are never handed over
        Instant next = nightly.getNextExecutionTime(ExecutionComplete.simulatedSuccess(clock.instant()));
        assertThat(next).isEqualTo(Instant.parse("2026-11-26T02:00:00Z"));
    }

    @Test
    void lateIsMeasuredInRealTimeNotOnTheWallClockAcrossTheDstChange() {
        // Prague leaves summer time on 2026-10-25: 02:30 local happens twice, an hour apart
        Instant firstHalfPastTwo = Instant.parse("2026-10-25T00:30:00Z");
        SettableClock secondHalfPastTwo = SettableClock.frozenAt(Instant.parse("2026-10-25T01:31:00Z"));
        MissedDueTimes afterTheChange = new MissedDueTimes(secondHalfPastTwo);

        assertThat(afterTheChange.skips("skip", firstHalfPastTwo))
                .as("61 minutes late, though the wall clock moved 1")
                .isTrue();
    }
}
