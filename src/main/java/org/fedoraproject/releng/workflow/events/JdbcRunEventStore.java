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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
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
            events.stream()
                    .collect(Collectors.groupingBy(RunEvent::runId, LinkedHashMap::new, Collectors.toList()))
                    .forEach((run, ofRun) -> tally(h, run, TaskTally.of(ofRun)));
        });
    }

    /**
     * Adds a batch's tallies to the stored task summaries: an update for each task, then an
     * insert for each task the update did not find. One writer records a run, so no other
     * transaction inserts the same task in between.
     */
    private static void tally(Handle h, long runId, Collection<TaskTally> tallies) {
        if (tallies.isEmpty()) {
            return;
        }
        PreparedBatch update = h.prepareBatch("update run_task set"
                + " start_seq = coalesce(start_seq, cast(:startSeq as integer)),"
                + " play = case when start_seq is null then cast(:play as varchar) else play end,"
                + " task = case when start_seq is null then cast(:task as varchar) else task end,"
                + " task_path = case when start_seq is null then cast(:taskPath as varchar) else task_path end,"
                + " role = case when start_seq is null then cast(:role as varchar) else role end,"
                + " action = case when start_seq is null then cast(:action as varchar) else action end,"
                + " handler = case when start_seq is null then cast(:handler as boolean) else handler end,"
                + " line = case when start_seq is null then cast(:line as integer) else line end,"
                + " ok = ok + :ok, changed = changed + :changed, failed = failed + :failed,"
                + " ignored = ignored + :ignored, skipped = skipped + :skipped, unreachable = unreachable + :unreachable,"
                + " duration_ms = case when cast(:duration as bigint) is null then duration_ms"
                + "   when duration_ms is null or duration_ms < cast(:duration as bigint) then cast(:duration as bigint)"
                + "   else duration_ms end,"
                + " failed_line = case when cast(:failedLine as integer) is null then failed_line"
                + "   when failed_line is null or failed_line > cast(:failedLine as integer) then cast(:failedLine as integer)"
                + "   else failed_line end"
                + " where run_id = :run and task_id = :taskId");
        List<TaskTally> ordered = new ArrayList<>(tallies);
        ordered.forEach(t -> bindTally(update, runId, t).add());
        int[] updated = update.execute();
        PreparedBatch insert = h.prepareBatch("insert into run_task (run_id, task_id, start_seq, play, task, task_path,"
                + " role, action, handler, line, ok, changed, failed, ignored, skipped, unreachable, duration_ms,"
                + " failed_line) values (:run, :taskId, :startSeq, :play, :task, :taskPath, :role, :action, :handler,"
                + " :line, :ok, :changed, :failed, :ignored, :skipped, :unreachable, :duration, :failedLine)");
        boolean inserts = false;
        for (int i = 0; i < ordered.size(); i++) {
            if (updated[i] == 0) {
                bindTally(insert, runId, ordered.get(i)).add();
                inserts = true;
            }
        }
        if (inserts) {
            insert.execute();
        }
    }

    private static PreparedBatch bindTally(PreparedBatch batch, long runId, TaskTally t) {
        RunEvent s = t.start;
        return batch.bind("run", runId)
                .bind("taskId", t.taskId)
                .bindBySqlType("startSeq", s == null ? null : s.seq(), Types.INTEGER)
                .bindBySqlType("play", s == null ? null : s.play(), Types.VARCHAR)
                .bindBySqlType("task", s == null ? null : s.task(), Types.VARCHAR)
                .bindBySqlType("taskPath", s == null ? null : s.taskPath(), Types.VARCHAR)
                .bindBySqlType("role", s == null ? null : s.role(), Types.VARCHAR)
                .bindBySqlType("action", s == null ? null : s.action(), Types.VARCHAR)
                .bind("handler", s != null && s.type().equals("playbook_on_handler_task_start"))
                .bindBySqlType("line", s == null ? null : s.line(), Types.INTEGER)
                .bind("ok", t.ok)
                .bind("changed", t.changed)
                .bind("failed", t.failed)
                .bind("ignored", t.ignored)
                .bind("skipped", t.skipped)
                .bind("unreachable", t.unreachable)
                .bindBySqlType("duration", t.durationMs, Types.BIGINT)
                .bindBySqlType("failedLine", t.failedLine, Types.INTEGER);
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

    private static final String SUMMARY_COLUMNS = "state, problem, event_count, dry_run, hosts, outputs, run_id";

    @Override
    public Optional<RunSummary> summary(long runId) {
        return jdbi.withHandle(h -> h.createQuery("select " + SUMMARY_COLUMNS + " from run_summary where run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> summary(rs))
                .findOne());
    }

    @Override
    public Map<Long, RunSummary> summaries(Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, RunSummary> found = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select " + SUMMARY_COLUMNS + " from run_summary where run_id in (<runs>)")
                .bindList("runs", List.copyOf(runIds))
                .map((rs, ctx) -> {
                    found.put(rs.getLong(7), summary(rs));
                    return null;
                })
                .list());
        return found;
    }

    private static RunSummary summary(ResultSet rs) throws SQLException {
        return new RunSummary(
                RunSummary.State.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)),
                rs.getString(2),
                rs.getInt(3),
                rs.getBoolean(4),
                rs.getString(5) == null ? List.of() : read(rs.getString(5), new TypeReference<List<HostRecap>>() {}),
                rs.getString(6) == null ? null : read(rs.getString(6), new TypeReference<ObjectNode>() {}));
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

    /** Reads the kept summaries by index: the cost follows the tasks shown, not the run's events. */
    @Override
    public List<TaskSummary> tasks(long runId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select start_seq, task_id, play, task, task_path, role, action,"
                                + " handler, line, ok, changed, failed, ignored, skipped, unreachable, duration_ms, failed_line"
                                + " from run_task where run_id = :run and start_seq is not null order by start_seq limit :limit")
                .bind("run", runId)
                .bind("limit", limit)
                .map((rs, ctx) -> new TaskSummary(
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getBoolean(8),
                        rs.getObject(9, Integer.class),
                        rs.getInt(10),
                        rs.getInt(11),
                        rs.getInt(12),
                        rs.getInt(13),
                        rs.getInt(14),
                        rs.getInt(15),
                        rs.getObject(16, Long.class),
                        rs.getObject(17, Integer.class)))
                .list());
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
