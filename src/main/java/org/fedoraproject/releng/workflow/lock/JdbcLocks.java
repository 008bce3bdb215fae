package org.fedoraproject.releng.workflow.lock;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Locks across the cluster, in SQL, each step inside the caller's transaction. The transaction
 * that queues a run keeps the locks it wants ({@link #want}); a lock is held by the running run
 * that wants it, so the status change that starts a run takes them and the one that ends it (any
 * final status, {@code lost} included) releases them, without a statement of their own. Before a
 * run starts, {@link #mayTake} locks the rows of its locks in {@code run_lock}: claims that share
 * a lock take turns, so two nodes never both see it free.
 */
public final class JdbcLocks {

    /** A run in a waiting run's way: it holds {@code lock}, or ({@code held} false) wants it and is older. */
    public record Blocker(String lock, long runId, boolean held) {}

    private static final String WANTED_BY = "(select name from run_lock_wanted where run_id = :id)";

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
     * Locks the rows of the run's locks (in name order, so that two claims never wait for each
     * other in a circle) and tells whether it may take them all: no running run wants one of
     * them, and no older queued run does (that one goes first, so a run that wants a busy lock is
     * not overtaken for ever by younger ones). The caller then makes it running in the same
     * transaction.
     */
    public static boolean mayTake(Handle h, long runId) {
        h.createQuery("select name from run_lock where name in " + WANTED_BY + " order by name for update")
                .bind("id", runId)
                .mapTo(String.class)
                .list();
        return h.createQuery("select count(*) from run_lock_wanted w join run r on r.id = w.run_id"
                                + " where w.name in " + WANTED_BY + " and w.run_id <> :id"
                                + " and (r.status = 'running' or (r.status = 'queued' and r.id < :id))")
                        .bind("id", runId)
                        .mapTo(Integer.class)
                        .one()
                == 0;
    }

    /** For a queued run: the first of its locks a running run holds, else the first an older queued run wants. */
    public static Optional<Blocker> blocker(Handle h, long runId) {
        Optional<Blocker> held = first(h, runId, "running", true);
        return held.isPresent() ? held : first(h, runId, "queued", false);
    }

    private static Optional<Blocker> first(Handle h, long runId, String status, boolean held) {
        return h
                .createQuery("select w.name, min(o.run_id) from run_lock_wanted w"
                        + " join run_lock_wanted o on o.name = w.name and o.run_id "
                        + (held ? "<>" : "<") + " w.run_id"
                        + " join run r on r.id = o.run_id and r.status = :status"
                        + " where w.run_id = :id group by w.name order by w.name")
                .bind("id", runId)
                .bind("status", status)
                .map((rs, ctx) -> new Blocker(rs.getString(1), rs.getLong(2), held))
                .stream()
                .findFirst();
    }

    /**
     * The runs to wake when {@code runId} (of {@code workflowId}) ended: the oldest queued run of
     * its workflow, which may take the slot it freed, and the oldest queued run wanting each lock
     * it held. One statement, as the workflow's alone was before locks.
     */
    public static List<Long> nextAfter(Handle h, long runId, String workflowId) {
        return h
                .createQuery("select min(id) from run where workflow_id = :w and status = 'queued'"
                        + " union select min(w.run_id) from run_lock_wanted w"
                        + " join run r on r.id = w.run_id and r.status = 'queued'"
                        + " where w.name in " + WANTED_BY + " group by w.name")
                .bind("w", workflowId)
                .bind("id", runId)
                .map((rs, ctx) -> rs.getObject(1, Long.class))
                .stream()
                .filter(Objects::nonNull)
                .distinct()
                .sorted()
                .toList();
    }

    /** How many queued runs want a lock that a running run holds. */
    public static int waiting(Handle h) {
        // the runs by their status, then their locks by key: joined on the lock's name in one
        // query, the planner read every run that ever wanted it (all of a lock's history)
        Map<Long, String> active = new HashMap<>();
        h.createQuery("select id, status from run where status in ('queued', 'running')")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> active.put(e.getKey(), e.getValue()));
        if (active.isEmpty()) {
            return 0;
        }
        Set<String> held = new HashSet<>();
        Map<Long, Set<String>> wanted = new HashMap<>();
        h.createQuery("select run_id, name from run_lock_wanted where run_id in (<runs>)")
                .bindList("runs", List.copyOf(active.keySet()))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> {
                    if (active.get(e.getKey()).equals("running")) {
                        held.add(e.getValue());
                    } else {
                        wanted.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue());
                    }
                });
        return (int) wanted.values().stream()
                .filter(names -> names.stream().anyMatch(held::contains))
                .count();
    }
}
