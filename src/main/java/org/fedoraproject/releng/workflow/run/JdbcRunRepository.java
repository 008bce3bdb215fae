package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.ansible.ProcessGroup;
import org.fedoraproject.releng.workflow.db.SqlDialect;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Runs in SQL (PostgreSQL, or H2 in PostgreSQL mode). */
public final class JdbcRunRepository implements RunRepository {

    private static final String COLUMNS = "id, workflow_id, number, status, cause_type, cause_user, cause_detail, "
            + "cause_reason, parameters, queued_at, started_at, finished_at, exit_code, node, cancel_requested, options";

    /** Reads stored message bodies; plain JSON, so no configuration of the injected mapper applies. */
    private static final ObjectMapper BODIES = new ObjectMapper();

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final OutboxWriter outbox;
    private final SqlDialect dialect;

    /**
     * Writes a change's announcements inside the change's own transaction, so that they commit or
     * roll back with it. The JDBC side of the outbox implements it.
     */
    public interface OutboxWriter {
        void write(Handle handle, long runId, Announcement announcement);

        OutboxWriter NONE = (handle, runId, announcement) -> {};
    }

    public JdbcRunRepository(Jdbi jdbi, ObjectMapper json, OutboxWriter outbox) {
        this.jdbi = jdbi;
        this.json = json;
        this.outbox = outbox;
        this.dialect = SqlDialect.of(jdbi);
    }

    @Override
    public Run create(NewRun r, Optional<TriggerMessage> message, Admission admission) {
        return jdbi.inTransaction(h -> {
            // the update locks the workflow's counter row: the admission below and the insert take turns
            long number = nextNumber(h, r.workflowId());
            admission.admit(r, new LockedView(h));
            long id = h.createUpdate(
                            "insert into run (workflow_id, number, status, cause_type, cause_user, cause_detail,"
                                    + " cause_reason, parameters, secrets_sealed, queued_at, options)"
                                    + " values (:w, :n, :status, :ct, :cu, :cd, :cr, :p, :s, :at, :o)")
                    .bind("w", r.workflowId())
                    .bind("status", r.status().id())
                    .bind("n", number)
                    .bind("ct", r.cause().type())
                    .bind("cu", r.cause().user())
                    .bind("cd", r.cause().detail())
                    .bind("cr", r.cause().reason())
                    .bind("p", write(r.parameters()))
                    .bind("s", r.sealedSecrets())
                    .bind("at", Timestamp.from(r.at()))
                    // null for a run without options, as every run stored before they existed
                    .bind(
                            "o",
                            r.options().equals(LaunchOptions.NONE)
                                    ? null
                                    : writeAny(r.options().toJson()))
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            if (message.isPresent()) {
                keep(h, id, r.workflowId(), message.get());
            }
            record(h, new RunTransition(id, null, r.status(), r.at(), r.actor(), r.reason()));
            // everything it holds was just written: reading it back would only cost a round trip
            return new Run(
                    id,
                    r.workflowId(),
                    number,
                    r.status(),
                    r.cause(),
                    r.parameters().deepCopy(),
                    r.at(),
                    null,
                    null,
                    null,
                    null,
                    false,
                    r.options());
        });
    }

    /**
     * Counts the workflow's runs on by one and returns the new number, in one statement once the
     * workflow's counter row exists (it is created by its first run).
     */
    private long nextNumber(Handle h, String workflowId) {
        Optional<Long> next = h.createQuery(dialect.updateReturning(
                        "update workflow_counter set last_number = last_number + 1 where workflow_id = :w",
                        "last_number"))
                .bind("w", workflowId)
                .mapTo(Long.class)
                .findOne();
        if (next.isPresent()) {
            return next.get();
        }
        h.createUpdate("insert into workflow_counter (workflow_id, last_number) values (:w, 0) on conflict do nothing")
                .bind("w", workflowId)
                .execute();
        return nextNumber(h, workflowId);
    }

    /** What an {@link Admission} reads, inside the transaction that holds the workflow's lock. */
    private record LockedView(Handle h) implements Admission.View {
        @Override
        public Optional<Instant> lastMessageRunAt(String workflowId) {
            return h.createQuery("select max(queued_at) from run where workflow_id = :w and cause_type = 'message'")
                    .bind("w", workflowId)
                    .mapTo(Timestamp.class)
                    .findOne()
                    .map(Timestamp::toInstant);
        }

        @Override
        public boolean hasMessage(String workflowId, String messageId) {
            return h.createQuery("select count(*) from run_message where workflow_id = :w and message_id = :m")
                            .bind("w", workflowId)
                            .bind("m", messageId)
                            .mapTo(Integer.class)
                            .one()
                    > 0;
        }
    }

    private void keep(Handle h, long runId, String workflowId, TriggerMessage m) {
        int inserted = h.createUpdate("insert into run_message (run_id, workflow_id, bus, topic, message_id, body)"
                        + " values (:run, :w, :bus, :topic, :id, :body) on conflict do nothing")
                .bind("run", runId)
                .bind("w", workflowId)
                .bind("bus", m.bus())
                .bind("topic", m.topic())
                .bind("id", m.id())
                .bind("body", writeAny(m.body()))
                .execute();
        if (inserted == 0) {
            // another node won the race for the same message; rolling back drops this run
            throw new DuplicateMessageException(
                    "workflow `" + workflowId + "` already has a run for message " + m.id());
        }
    }

    @Override
    public Optional<TriggerMessage> message(long runId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select bus, topic, message_id, body from run_message where run_id = :id")
                .bind("id", runId)
                .map((rs, ctx) ->
                        new TriggerMessage(rs.getString(1), rs.getString(2), rs.getString(3), readAny(rs.getString(4))))
                .findOne());
    }

    @Override
    public Optional<Run> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    private Optional<Run> find(Handle h, long id) {
        return h.createQuery("select " + COLUMNS + " from run where id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    @Override
    public Optional<Run> findByNumber(String workflowId, long number) {
        return jdbi.withHandle(
                h -> h.createQuery("select " + COLUMNS + " from run where workflow_id = :w and number = :n")
                        .bind("w", workflowId)
                        .bind("n", number)
                        .map((rs, ctx) -> map(rs))
                        .findOne());
    }

    @Override
    public List<Run> list(RunQuery q) {
        HistoryPage page = HistoryPage.of(q);
        if (page.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(page.sql(COLUMNS));
            page.bind(query);
            return query.map((rs, ctx) -> map(rs)).list();
        });
    }

    /**
     * The run each workflow's counter last numbered is its newest: numbers are taken under the
     * counter's row lock in the transaction that inserts the run, so they grow with the ids and a
     * counter never names a run that was rolled back. One lookup in run_number_unique per
     * workflow, whatever the history's length.
     */
    @Override
    public Map<String, Run> latestByWorkflow() {
        return jdbi.withHandle(h -> h
                .createQuery("select " + COLUMNS.replaceAll("(^|, )", "$1r.") + " from workflow_counter c"
                        + " join run r on r.workflow_id = c.workflow_id and r.number = c.last_number")
                .map((rs, ctx) -> map(rs))
                .list()
                .stream()
                .collect(Collectors.toMap(Run::workflowId, r -> r, (a, b) -> a, LinkedHashMap::new)));
    }

    @Override
    public Optional<Run> transition(Change c) {
        return jdbi.inTransaction(h -> apply(h, c));
    }

    private Optional<Run> apply(Handle h, Change c) {
        Run after = c.after();
        int updated = h.createUpdate("update run set status = :to, started_at = :started, finished_at = :finished,"
                        + " exit_code = :exit, node = :node" + (c.wipeSecrets() ? ", secrets_sealed = null" : "")
                        + " where id = :id and status = :from")
                .bind("to", after.status().id())
                .bind("started", timestamp(after.startedAt()))
                .bind("finished", timestamp(after.finishedAt()))
                .bind("exit", after.exitCode())
                .bind("node", after.node())
                .bind("id", after.id())
                .bind("from", c.from().id())
                .execute();
        if (updated == 0) {
            return Optional.empty();
        }
        record(h, c.record());
        for (Announcement announcement : c.announcements()) {
            outbox.write(h, after.id(), announcement);
        }
        // the lifecycle built the run as it now is; only the cancel flag may have moved, and the
        // executor learns of a cancel by its own signal
        return Optional.of(after);
    }

    @Override
    public Optional<Run> claim(Change c, int limit) {
        return jdbi.inTransaction(h -> {
            // the counter row is the workflow's lock: claims of one workflow take turns
            h.createQuery("select last_number from workflow_counter where workflow_id = :w for update")
                    .bind("w", c.after().workflowId())
                    .mapTo(Long.class)
                    .one();
            int running = h.createQuery("select count(*) from run where workflow_id = :w and status = 'running'")
                    .bind("w", c.after().workflowId())
                    .mapTo(Integer.class)
                    .one();
            if (running >= limit) {
                return Optional.empty();
            }
            // the status the lifecycle read predates the lock: another node may have claimed (or
            // someone cancelled) the run meanwhile; the update's "status = from" lets it keep it
            return apply(h, c);
        });
    }

    @Override
    public List<Run> queued(String workflowId) {
        return byStatus(workflowId, "'queued'");
    }

    @Override
    public List<Run> active(String workflowId) {
        return byStatus(workflowId, "'queued', 'running'");
    }

    private List<Run> byStatus(String workflowId, String statuses) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS
                        + " from run where workflow_id = :w and status in (" + statuses + ") order by id")
                .bind("w", workflowId)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public List<Run> runningOn(String node) {
        return jdbi.withHandle(
                h -> h.createQuery("select " + COLUMNS + " from run where status = 'running' and node = :n order by id")
                        .bind("n", node)
                        .map((rs, ctx) -> map(rs))
                        .list());
    }

    @Override
    public List<Long> cancelRequestedOn(String node) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select id from run where status = 'running' and node = :n and cancel_requested = true")
                .bind("n", node)
                .mapTo(Long.class)
                .list());
    }

    @Override
    public void requestCancel(long runId) {
        jdbi.useHandle(h -> h.createUpdate("update run set cancel_requested = true where id = :id")
                .bind("id", runId)
                .execute());
    }

    @Override
    public void recordProcessGroup(long runId, String node, ProcessGroup group) {
        jdbi.useHandle(h -> h.createUpdate("update run set process_group = :g, process_instance = :i"
                        + " where id = :id and node = :node and status = 'running'")
                .bind("g", group.id())
                .bind("i", group.instance())
                .bind("id", runId)
                .bind("node", node)
                .execute());
    }

    @Override
    public Optional<ProcessGroup> processGroup(long runId) {
        return jdbi.withHandle(h -> h.createQuery("select process_group, process_instance from run"
                        + " where id = :id and process_group is not null")
                .bind("id", runId)
                .map((rs, ctx) -> new ProcessGroup(rs.getLong(1), rs.getString(2)))
                .findOne());
    }

    @Override
    public Optional<String> sealedSecrets(long runId) {
        return jdbi.withHandle(h -> h.createQuery("select secrets_sealed from run where id = :id")
                .bind("id", runId)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void forgetSecrets(long runId) {
        jdbi.useHandle(h -> h.createUpdate("update run set secrets_sealed = null where id = :id")
                .bind("id", runId)
                .execute());
    }

    @Override
    public List<RunTransition> transitions(long runId) {
        return jdbi.withHandle(h -> h.createQuery("select run_id, from_status, to_status, at, actor, reason"
                        + " from run_transition where run_id = :id order by id")
                .bind("id", runId)
                .map((rs, ctx) -> new RunTransition(
                        rs.getLong(1),
                        rs.getString(2) == null ? null : RunStatus.parse(rs.getString(2)),
                        RunStatus.parse(rs.getString(3)),
                        instant(rs, 4),
                        rs.getString(5),
                        rs.getString(6)))
                .list());
    }

    private static void record(Handle h, RunTransition t) {
        h.createUpdate("insert into run_transition (run_id, from_status, to_status, at, actor, reason)"
                        + " values (:run, :from, :to, :at, :actor, :reason)")
                .bind("run", t.runId())
                .bind("from", t.from() == null ? null : t.from().id())
                .bind("to", t.to().id())
                .bind("at", Timestamp.from(t.at()))
                .bind("actor", t.actor())
                .bind("reason", t.reason())
                .execute();
    }

    private static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    private Run map(ResultSet rs) throws SQLException {
        return new Run(
                rs.getLong("id"),
                rs.getString("workflow_id"),
                rs.getLong("number"),
                RunStatus.parse(rs.getString("status")),
                new Cause(
                        rs.getString("cause_type"),
                        rs.getString("cause_user"),
                        rs.getString("cause_detail"),
                        rs.getString("cause_reason")),
                read(rs.getString("parameters")),
                instant(rs, "queued_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getObject("exit_code", Integer.class),
                rs.getString("node"),
                rs.getBoolean("cancel_requested"),
                rs.getString("options") == null
                        ? LaunchOptions.NONE
                        : LaunchOptions.fromJson(readAny(rs.getString("options"))));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private String write(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("parameters cannot be written as JSON", e);
        }
    }

    private String writeAny(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message body cannot be written as JSON", e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readAny(String text) {
        try {
            return BODIES.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored message body is not JSON", e);
        }
    }

    private ObjectNode read(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored parameters are not JSON", e);
        }
    }
}
