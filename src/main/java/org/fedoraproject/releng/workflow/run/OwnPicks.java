package org.fedoraproject.releng.workflow.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import javax.sql.DataSource;

/**
 * Run executions in db-scheduler's table that this node picks itself, to start a run on a free
 * worker at once instead of waiting for db-scheduler to poll for it and pick it. A row written
 * picked looks to every node as one db-scheduler picked: no other node executes it, and while
 * this node heartbeats it nobody takes it for dead; when this node dies, another finds it dead as
 * it finds db-scheduler's own picks (and marks the run lost).
 */
final class OwnPicks {

    private final DataSource dataSource;
    private final String task;
    private final String node;

    OwnPicks(DataSource dataSource, String task, String node) {
        this.dataSource = dataSource;
        this.task = task;
        this.node = node;
    }

    /** Writes the run's execution picked by this node; false when it has one already (someone dispatched it). */
    boolean pickNew(long runId, Instant now) {
        return update(
                        "insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked,"
                                + " picked_by, last_heartbeat, version) values (?, ?, null, ?, true, ?, ?, 1)"
                                + " on conflict do nothing",
                        task,
                        Long.toString(runId),
                        at(now),
                        node,
                        at(now))
                > 0;
    }

    /** The run waits (its workflow's limit): its execution goes back to db-scheduler, due at {@code due}. */
    void release(long runId, Instant due) {
        update(
                "update scheduled_tasks set picked = false, picked_by = null, last_heartbeat = null,"
                        + " execution_time = ?, version = version + 1"
                        + " where task_name = ? and task_instance = ? and picked_by = ?",
                at(due),
                task,
                Long.toString(runId),
                node);
    }

    /** The run is over (or will never start): its execution goes. */
    void remove(long runId) {
        update(
                "delete from scheduled_tasks where task_name = ? and task_instance = ? and picked_by = ?",
                task,
                Long.toString(runId),
                node);
    }

    /** Tells the other nodes that this one still executes these runs. */
    void heartbeat(Collection<Long> runIds, Instant now) {
        if (runIds.isEmpty()) {
            return;
        }
        Object[] values = new Object[3 + runIds.size()];
        values[0] = at(now);
        values[1] = task;
        values[2] = node;
        int i = 3;
        for (long id : runIds) {
            values[i++] = Long.toString(id);
        }
        update(
                "update scheduled_tasks set last_heartbeat = ? where task_name = ? and picked = true and picked_by = ?"
                        + " and task_instance in (" + String.join(", ", Collections.nCopies(runIds.size(), "?"))
                        + ")",
                values);
    }

    /**
     * Executions this node had picked when it last stopped belong to a life that is over; left
     * picked, a queued run among them would wait for db-scheduler to find them dead (a minute).
     * Nodes have distinct names, so no other node's work is touched. Returns how many.
     */
    int releaseAll() {
        return update(
                "update scheduled_tasks set picked = false, picked_by = null,"
                        + " last_heartbeat = null, version = version + 1 where task_name = ? and picked = true and picked_by = ?",
                task,
                node);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private int update(String sql, Object... values) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "run dispatch of " + node + ": the database refused " + sql + ": " + e.getMessage(), e);
        }
    }
}
