package org.fedoraproject.releng.workflow.lock;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Locks across the cluster, in SQL, each step inside the caller's transaction: the one that
 * queues a run keeps the locks it wants ({@link #want}), the one that makes it running takes them
 * ({@link #takeIfFree}), the one that ends it releases them ({@link #release}). A lock's row in
 * {@code run_lock} names its holder; claims lock the rows they need, so two nodes never both see a
 * lock free.
 */
public final class JdbcLocks {

    /** A run in a waiting run's way: it holds {@code lock}, or ({@code held} false) wants it and is older. */
    public record Blocker(String lock, long runId, boolean held) {}

    private JdbcLocks() {}

    /** Keeps the locks a new run will need; a lock's row exists from its first wanter on, for claims to lock. */
    public static void want(Handle h, long runId, List<String> locks) {
        for (String name : locks) {
            h.createUpdate("insert into run_lock (name) values (:n) on conflict do nothing")
                    .bind("n", name)
                    .execute();
            h.createUpdate("insert into run_lock_wanted (run_id, name) values (:run, :n)")
                    .bind("run", runId)
                    .bind("n", name)
                    .execute();
        }
    }

    /** The locks the run was queued with, by name. */
    public static List<String> wanted(Handle h, long runId) {
        return h.createQuery("select name from run_lock_wanted where run_id = :id order by name")
                .bind("id", runId)
                .mapTo(String.class)
                .list();
    }

    /**
     * Locks the rows of {@code locks} (in name order, so that two claims never wait for each other
     * in a circle) and tells whether the run may take them all: none is held, and no older queued
     * run wants one of them (that one goes first, so a run that wants a busy lock is not overtaken
     * for ever by younger ones). The caller then starts the run and {@link #take}s them.
     */
    public static boolean takeIfFree(Handle h, long runId, List<String> locks) {
        List<Long> holders = h.createQuery(
                        "select holder_run from run_lock where name in (<names>) order by name for update")
                .bindList("names", locks)
                .map((rs, ctx) -> rs.getObject(1, Long.class))
                .list();
        if (holders.stream().anyMatch(Objects::nonNull)) {
            return false;
        }
        return h.createQuery("select count(*) from run_lock_wanted w join run r on r.id = w.run_id"
                                + " where w.name in (<names>) and r.status = 'queued' and r.id < :id")
                        .bindList("names", locks)
                        .bind("id", runId)
                        .mapTo(Integer.class)
                        .one()
                == 0;
    }

    /** The run started: it holds {@code locks} (whose rows {@link #takeIfFree} locked) until it ends. */
    public static void take(Handle h, long runId, List<String> locks) {
        h.createUpdate("update run_lock set holder_run = :id where name in (<names>)")
                .bind("id", runId)
                .bindList("names", locks)
                .execute();
    }

    /** The run ended: whatever it held is free, with the status that ends it and never after it. */
    public static void release(Handle h, long runId) {
        h.createUpdate("update run_lock set holder_run = null where holder_run = :id")
                .bind("id", runId)
                .execute();
    }

    /** For a queued run: the first of its locks held by another run, else the first an older queued run wants. */
    public static Optional<Blocker> blocker(Handle h, long runId) {
        Optional<Blocker> held = h
                .createQuery("select l.name, l.holder_run from run_lock_wanted w"
                        + " join run_lock l on l.name = w.name"
                        + " where w.run_id = :id and l.holder_run is not null and l.holder_run <> :id"
                        + " order by l.name")
                .bind("id", runId)
                .map((rs, ctx) -> new Blocker(rs.getString(1), rs.getLong(2), true))
                .stream()
                .findFirst();
        if (held.isPresent()) {
            return held;
        }
        return h
                .createQuery("select w.name, min(o.run_id) from run_lock_wanted w"
                        + " join run_lock_wanted o on o.name = w.name and o.run_id < w.run_id"
                        + " join run r on r.id = o.run_id and r.status = 'queued'"
                        + " where w.run_id = :id group by w.name order by w.name")
                .bind("id", runId)
                .map((rs, ctx) -> new Blocker(rs.getString(1), rs.getLong(2), false))
                .stream()
                .findFirst();
    }

    /** The oldest queued run wanting each of {@code locks}: the ones to wake when they are released. */
    public static List<Long> firstWaiting(Handle h, List<String> locks) {
        if (locks.isEmpty()) {
            return List.of();
        }
        return h
                .createQuery("select min(w.run_id) from run_lock_wanted w"
                        + " join run r on r.id = w.run_id and r.status = 'queued'"
                        + " where w.name in (<names>) group by w.name order by 1")
                .bindList("names", locks)
                .mapTo(Long.class)
                .stream()
                .distinct()
                .toList();
    }

    /** How many queued runs want a lock that a running run holds. */
    public static int waiting(Handle h) {
        return h.createQuery("select count(distinct w.run_id) from run_lock_wanted w"
                        + " join run_lock l on l.name = w.name and l.holder_run is not null"
                        + " join run r on r.id = w.run_id and r.status = 'queued'")
                .mapTo(Integer.class)
                .one();
    }
}
