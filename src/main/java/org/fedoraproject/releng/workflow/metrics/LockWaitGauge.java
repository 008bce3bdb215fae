package org.fedoraproject.releng.workflow.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.fedoraproject.releng.workflow.lock.JdbcLocks;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code releng_runs_waiting_for_lock}: queued runs that want a lock a running run holds. One
 * query, kept as long as the other run gauges keep theirs, so a busy scraper cannot load the database.
 */
final class LockWaitGauge {

    private final Jdbi jdbi;
    private final Clock clock;
    private double value;
    private Instant takenAt = Instant.MIN;

    LockWaitGauge(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Micrometer holds the gauge's object weakly: the caller must keep this one. */
    LockWaitGauge register(MeterRegistry registry) {
        Gauge.builder("releng_runs_waiting_for_lock", this, LockWaitGauge::read)
                .description("queued runs waiting for a lock that a running run holds")
                .register(registry);
        return this;
    }

    private synchronized double read() {
        Instant now = clock.instant();
        if (now.isAfter(takenAt.plus(ActiveRunGauges.FRESH_FOR)) || now.isBefore(takenAt)) {
            try {
                value = jdbi.withHandle(JdbcLocks::waiting);
            } catch (RuntimeException e) {
                // the database is unreachable: say "unknown" rather than fail the whole scrape
                return Double.NaN;
            }
            takenAt = now;
        }
        return value;
    }
}
