package org.fedoraproject.releng.workflow.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** Events and summaries in SQL (PostgreSQL, or H2 in PostgreSQL mode). */
public final class JdbcRunEventStore implements RunEventStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "run_id, seq, type, at, play, task, task_id, task_path, role, host, action,"
            + " changed, failed, ignored, item, duration_ms, line, result";

    private final Jdbi jdbi;

    public JdbcRunEventStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void open(long runId) {
        jdbi.useHandle(h -> h.createUpdate("insert into run_summary (run_id, state, event_count, dry_run)"
                        + " values (:run, 'open', 0, false) on conflict do nothing")
                .bind("run", runId)
                .execute());
    }

    @Override
    public void append(List<RunEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("insert into run_event (" + COLUMNS + ") values (:run, :seq, :type,"
                    + " :at, :play, :task, :taskId, :taskPath, :role, :host, :action, :changed, :failed, :ignored,"
                    + " :item, :duration, :line, :result)");
            for (RunEvent e : events) {
                batch.bind("run", e.runId())
                        .bind("seq", e.seq())
                        .bind("type", e.type())
                        .bind("at", Timestamp.from(e.at()))
                        .bind("play", e.play())
                        .bind("task", e.task())
                        .bind("taskId", e.taskId())
                        .bind("taskPath", e.taskPath())
                        .bind("role", e.role())
                        .bind("host", e.host())
                        .bind("action", e.action())
                        .bind("changed", e.changed())
                        .bind("failed", e.failed())
                        .bind("ignored", e.ignored())
                        .bind("item", e.item())
                        .bindBySqlType("duration", e.durationMs(), Types.BIGINT)
                        .bindBySqlType("line", e.line(), Types.INTEGER)
                        .bind("result", e.result())
                        .add();
            }
            batch.execute();
        });
    }

    @Override
    public void save(long runId, RunSummary s) {
        jdbi.useHandle(h -> {
            int updated = h.createUpdate("update run_summary set state = :state, problem = :problem, event_count ="
                            + " :count, dry_run = :dry, hosts = :hosts, outputs = :outputs where run_id = :run")
                    .bind("run", runId)
                    .bind("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                    .bind("problem", s.problem() == null ? null : cut(s.problem(), 2000))
                    .bind("count", s.events())
                    .bind("dry", s.dryRun())
                    .bind("hosts", write(s.hosts()))
                    .bind("outputs", s.outputs() == null ? null : write(s.outputs()))
                    .execute();
            if (updated == 0) {
                throw new IllegalStateException("run " + runId + " has no open summary");
            }
        });
    }

    @Override
    public Optional<RunSummary> summary(long runId) {
        return jdbi.withHandle(h -> h.createQuery("select state, problem, event_count, dry_run, hosts, outputs"
                        + " from run_summary where run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> new RunSummary(
                        RunSummary.State.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)),
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getBoolean(4),
                        rs.getString(5) == null
                                ? List.of()
                                : read(rs.getString(5), new TypeReference<List<HostRecap>>() {}),
                        rs.getString(6) == null ? null : read(rs.getString(6), new TypeReference<ObjectNode>() {})))
                .findOne());
    }

    @Override
    public List<RunEvent> page(EventQuery q) {
        StringBuilder sql =
                new StringBuilder("select " + COLUMNS + " from run_event where run_id = :run and seq > :after");
        if (q.type() != null) {
            sql.append(" and type = :type");
        }
        if (q.host() != null) {
            sql.append(" and host = :host");
        }
        if (q.failed() != null) {
            sql.append(" and failed = :failed");
        }
        sql.append(" order by seq limit :limit");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString())
                    .bind("run", q.runId())
                    .bind("after", q.after())
                    .bind("limit", q.limit());
            if (q.type() != null) {
                query.bind("type", q.type());
            }
            if (q.host() != null) {
                query.bind("host", q.host());
            }
            if (q.failed() != null) {
                query.bind("failed", q.failed());
            }
            return query.map((rs, ctx) -> event(rs)).list();
        });
    }

    @Override
    public List<TaskSummary> tasks(long runId, int limit) {
        return jdbi.withHandle(h -> {
            Map<String, int[]> counts = new HashMap<>();
            Map<String, Long> durations = new HashMap<>();
            Map<String, Integer> failedLines = new HashMap<>();
            h.createQuery("select task_id,"
                            + " sum(case when type = 'runner_on_ok' then 1 else 0 end),"
                            + " sum(case when changed then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_failed' and not ignored then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_failed' and ignored then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_skipped' then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_unreachable' then 1 else 0 end),"
                            + " max(duration_ms),"
                            + " min(case when failed and not ignored then line end)"
                            + " from run_event where run_id = :run and type in ('runner_on_ok', 'runner_on_failed',"
                            + " 'runner_on_skipped', 'runner_on_unreachable') group by task_id")
                    .bind("run", runId)
                    .map((rs, ctx) -> {
                        String task = rs.getString(1);
                        counts.put(task, new int[] {
                            rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7)
                        });
                        long d = rs.getLong(8);
                        if (!rs.wasNull()) {
                            durations.put(task, d);
                        }
                        int l = rs.getInt(9);
                        if (!rs.wasNull()) {
                            failedLines.put(task, l);
                        }
                        return task;
                    })
                    .list();
            List<TaskSummary> tasks = new ArrayList<>();
            h.createQuery("select seq, task_id, play, task, task_path, role, action, type, line from run_event"
                            + " where run_id = :run and type in ('playbook_on_task_start',"
                            + " 'playbook_on_handler_task_start') order by seq limit :limit")
                    .bind("run", runId)
                    .bind("limit", limit)
                    .map((rs, ctx) -> {
                        String id = rs.getString(2);
                        int[] c = counts.getOrDefault(id, new int[6]);
                        int line = rs.getInt(9);
                        Integer lineNumber = rs.wasNull() ? null : line;
                        return new TaskSummary(
                                rs.getInt(1),
                                id,
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8).equals("playbook_on_handler_task_start"),
                                lineNumber,
                                c[0],
                                c[1],
                                c[2],
                                c[3],
                                c[4],
                                c[5],
                                durations.get(id),
                                failedLines.get(id));
                    })
                    .forEach(tasks::add);
            return tasks;
        });
    }

    private static RunEvent event(ResultSet rs) throws SQLException {
        long duration = rs.getLong(16);
        Long durationMs = rs.wasNull() ? null : duration;
        int line = rs.getInt(17);
        Integer lineNumber = rs.wasNull() ? null : line;
        return new RunEvent(
                rs.getLong(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getTimestamp(4).toInstant(),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getBoolean(12),
                rs.getBoolean(13),
                rs.getBoolean(14),
                rs.getString(15),
                durationMs,
                lineNumber,
                rs.getString(18));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored summary is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String cut(String s, int size) {
        return s.length() <= size ? s : s.substring(0, size);
    }
}
