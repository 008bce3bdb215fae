package org.fedoraproject.releng.workflow.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code schedule.missed} rule. A due time handed over more than {@link #MISSED_AFTER} after
 * it passed was missed while every node was down: {@code skip} drops it, {@code run-once} still
 * runs it. The scheduler only ever hands over the oldest missed due time and computes the next one
 * from when that execution completed, so any number of missed due times makes at most one run.
 */
final class MissedDueTimes {

    /** Later than this after its due time, an execution counts as missed rather than late. */
    static final Duration MISSED_AFTER = Duration.ofMinutes(2);

    private final Clock clock;

    MissedDueTimes(Clock clock) {
        this.clock = clock;
    }

    /** Whether the run for {@code due} is dropped under the workflow's {@code missed} setting. */
    boolean skips(String missed, Instant due) {
        return "skip".equals(missed) && Duration.between(due, clock.instant()).compareTo(MISSED_AFTER) > 0;
    }
}
