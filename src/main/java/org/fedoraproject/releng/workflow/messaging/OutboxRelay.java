package org.fedoraproject.releng.workflow.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one bus's outbox in order. For AMQP a message that cannot be delivered stops the line
 * until the broker is back (backing off up to {@link #MAX_BACKOFF}); fedmsg is fire-and-forget by
 * nature, so a failed send is counted, logged and passed over rather than blocking what follows.
 */
final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String bus;
    private final BusPublisher publisher;
    private final Outbox outbox;
    private final boolean bestEffort;
    private final Counter published;
    private final Counter failed;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    /** True from a refused delivery until one succeeds again: log an outage once, not per retry. */
    private volatile boolean failing;

    OutboxRelay(String bus, BusPublisher publisher, Outbox outbox, boolean bestEffort, MeterRegistry metrics) {
        this.bus = bus;
        this.publisher = publisher;
        this.outbox = outbox;
        this.bestEffort = bestEffort;
        this.published = Counter.builder("releng_messages_published")
                .tag("bus", bus)
                .description("messages handed to the bus")
                .register(metrics);
        this.failed = Counter.builder("releng_messages_failed")
                .tag("bus", bus)
                .description("attempts to send a message that failed")
                .register(metrics);
        Gauge.builder("releng_messages_pending", () -> safePending())
                .tag("bus", bus)
                .description("messages in the outbox not yet handed to the bus")
                .register(metrics);
        this.thread = new Thread(this::loop, "outbox-" + bus);
        this.thread.setDaemon(true);
    }

    String bus() {
        return bus;
    }

    void start() {
        thread.start();
    }

    /** Something was written to the outbox: look now rather than at the next poll. */
    void wake() {
        wake.release();
    }

    private void loop() {
        Duration backoff = Duration.ZERO;
        while (running) {
            try {
                boolean[] refused = {false};
                int sent = outbox.deliver(bus, BATCH, entry -> {
                    try {
                        publisher.publish(entry.message());
                        published.increment();
                        return true;
                    } catch (Exception e) {
                        failed.increment();
                        if (bestEffort) {
                            log.warn(
                                    "{}: message {} ({}) not sent and passed over: {}",
                                    bus,
                                    entry.message().id(),
                                    entry.message().topic(),
                                    e.getMessage());
                            return true;
                        }
                        refused[0] = true;
                        if (!failing) {
                            log.warn(
                                    "{}: cannot deliver message {} ({}); holding the outbox until the broker is back: {}",
                                    bus,
                                    entry.message().id(),
                                    entry.message().topic(),
                                    e.getMessage());
                        }
                        return false;
                    }
                });
                if (refused[0]) {
                    failing = true;
                    backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
                    pause(backoff);
                    continue;
                }
                if (failing) {
                    log.info("{}: delivering again", bus);
                    failing = false;
                }
                backoff = Duration.ZERO;
                if (sent < BATCH) {
                    pause(IDLE_POLL);
                }
            } catch (RuntimeException e) {
                log.warn("{}: reading the outbox failed: {}", bus, e.getMessage());
                pause(Duration.ofSeconds(2));
            }
        }
    }

    private void pause(Duration d) {
        try {
            if (wake.tryAcquire(d.toMillis(), TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private double safePending() {
        try {
            return outbox.pending(bus);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }
}
