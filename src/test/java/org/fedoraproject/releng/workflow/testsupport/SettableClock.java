package org.fedoraproject.releng.workflow.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves forward, to live through token and session lifetimes: the real clock plus
 * an offset, or (with {@link #frozenAt}) a fixed instant plus the offset, for exact boundaries.
 */
public final class SettableClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final Instant frozen;

    public SettableClock() {
        this(null);
    }

    private SettableClock(Instant frozen) {
        this.frozen = frozen;
    }

    /** A clock that stands still at {@code start} until advanced. */
    public static SettableClock frozenAt(Instant start) {
        return new SettableClock(start);
    }

    public void advance(Duration by) {
        offset.updateAndGet(d -> d.plus(by));
    }

    @Override
    public Instant instant() {
        return (frozen == null ? Instant.now() : frozen).plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
