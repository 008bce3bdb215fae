package org.fedoraproject.releng.workflow.approval;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.fedoraproject.releng.workflow.run.Announcement;
import org.fedoraproject.releng.workflow.run.IllegalTransitionException;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Approvals in SQL (PostgreSQL, or H2 in PostgreSQL mode); announcements go to the outbox in the same transaction. */
public final class JdbcApprovals implements Approvals {

    private static final String COLUMNS =
            "run_id, step, required, deadline, starter, starter_kind, requested_at, outcome, decided_on";
    /**
     * Whether what an approval decides still waits: a run in {@code waiting_approval}, or a gate
     * its chain run (still running) waits at ({@code chain_step} status {@code waiting}).
     */
    private static final String WAITING = "((a.step = '' and r.status = 'waiting_approval') or (a.step <> ''"
            + " and r.status = 'running' and exists (select 1 from chain_step s where s.chain_run_id = a.run_id"
            + " and s.step_id = a.step and s.status = 'waiting')))";

    /**
     * The approvals something still waits for (see {@link #WAITING}), with or without a decision:
     * those of the runs in {@code waiting_approval} and of the gates ({@code chain_step} status
     * {@code waiting}) of chain runs still running. Found in indexed steps, the waiting runs by
     * their status and then their gates and approvals by key, because neither planner can be trusted to
     * start from the runs when one query leaves it the choice: H2 walked every undecided
     * approval ever left (a run cancelled while it waited keeps its row), PostgreSQL scanned
     * {@code run_approval} for a hash join while it was small.
     */
    private static List<Approval> waiting(Handle h) {
        Set<Approval.Key> keys = new HashSet<>();
        h.createQuery("select id from run where status = 'waiting_approval'")
                .mapTo(Long.class)
                .forEach(id -> keys.add(Approval.Key.of(id)));
        List<Long> running = h.createQuery("select id from run where status = 'running'")
                .mapTo(Long.class)
                .list();
        if (!running.isEmpty()) {
            h.createQuery("select chain_run_id, step_id from chain_step where chain_run_id in (<runs>)"
                            + " and status = 'waiting'")
                    .bindList("runs", running)
                    .map((rs, ctx) -> new Approval.Key(rs.getLong(1), rs.getString(2)))
                    .forEach(keys::add);
        }
        if (keys.isEmpty()) {
            return List.of();
        }
        return h
                .createQuery("select " + COLUMNS + " from run_approval where run_id in (<runs>) order by run_id, step")
                .bindList(
                        "runs",
                        keys.stream().map(Approval.Key::runId).distinct().toList())
                .map((rs, ctx) -> map(rs, List.of()))
                .list()
                .stream()
                .filter(a -> keys.contains(a.key()))
                .toList();
    }

    private final Jdbi jdbi;
    private final JdbcRunRepository.OutboxWriter outbox;

    public JdbcApprovals(Jdbi jdbi, JdbcRunRepository.OutboxWriter outbox) {
        this.jdbi = jdbi;
        this.outbox = outbox;
    }

    @Override
    public void open(Approval a, List<Announcement> announcements) {
        jdbi.useTransaction(h -> {
            // a gate opened again after its node died mid-way keeps the approval it has
            int added = h.createUpdate("insert into run_approval (" + COLUMNS + ")"
                            + " select :run, :step, :required, :deadline, :starter, :kind, :at, null, :decidedOn"
                            + " where not exists (select 1 from run_approval where run_id = :run and step = :step)")
                    .bind("run", a.runId())
                    .bind("step", a.key().stored())
                    .bind("required", a.required())
                    .bind("deadline", Timestamp.from(a.deadline()))
                    .bind("starter", a.starter())
                    .bind("kind", a.starterKind())
                    .bind("at", Timestamp.from(a.requestedAt()))
                    .bind("decidedOn", a.decidedOn())
                    .execute();
            if (added == 1) {
                announcements.forEach(m -> outbox.write(h, a.runId(), m));
            }
        });
    }

    @Override
    public Optional<Approval> find(Approval.Key key) {
        return jdbi.withHandle(h -> find(h, key, false));
    }

    @Override
    public List<Approval> gates(long chainRunId) {
        return jdbi.withHandle(h -> h
                .createQuery("select " + COLUMNS + " from run_approval where run_id = :id and step <> '' order by step")
                .bind("id", chainRunId)
                .map((rs, ctx) -> map(rs, List.of()))
                .list()
                .stream()
                .map(a -> withDecisions(h, a))
                .toList());
    }

    private Optional<Approval> find(Handle h, Approval.Key key, boolean lock) {
        return h.createQuery("select " + COLUMNS + " from run_approval where run_id = :id and step = :step"
                        + (lock ? " for update" : ""))
                .bind("id", key.runId())
                .bind("step", key.stored())
                .map((rs, ctx) -> map(rs, List.of()))
                .findOne()
                .map(a -> withDecisions(h, a));
    }

    @Override
    public List<Approval> open() {
        return jdbi.withHandle(h -> waiting(h).stream()
                .filter(a -> a.outcome().isEmpty())
                .map(a -> withDecisions(h, a))
                .toList());
    }

    @Override
    public Approval decide(Approval.Key key, Decision d, Function<Approval, List<Announcement>> announce) {
        long runId = key.runId();
        return jdbi.inTransaction(h -> {
            // the approval's row is the lock: decisions about one run take turns from here on
            Approval before = find(h, key, true)
                    .orElseThrow(() -> new IllegalTransitionException("run " + runId + " is not waiting for approval"));
            String status = h.createQuery("select r.status from run r join run_approval a on a.run_id = r.id"
                            + " where a.run_id = :id and a.step = :step and " + WAITING)
                    .bind("id", runId)
                    .bind("step", key.stored())
                    .mapTo(String.class)
                    .findOne()
                    .orElse(key.step() == null ? "no longer waiting" : "past its gate " + key.step());
            if (before.outcome().isPresent() || !(status.equals("waiting_approval") || status.equals("running"))) {
                throw new IllegalTransitionException("run " + runId + " is not waiting for approval any more: it was "
                        + before.outcome().map(Verdict::id).orElse(status));
            }
            if (before.decidedBy(d.by())) {
                throw new IllegalTransitionException(d.by() + " has already decided run " + runId
                        + "; the approval needs " + before.required() + " distinct people");
            }
            h.createUpdate("insert into approval_decision (run_id, step, decided_by, decision, comment, at)"
                            + " values (:run, :step, :by, :decision, :comment, :at)")
                    .bind("run", runId)
                    .bind("step", key.stored())
                    .bind("by", d.by())
                    .bind("decision", d.verdict().id())
                    .bind("comment", d.comment())
                    .bind("at", Timestamp.from(d.at()))
                    .execute();
            Approval after = withDecisions(h, before);
            Optional<Verdict> outcome = d.verdict() != Verdict.APPROVED
                    ? Optional.of(d.verdict())
                    : after.remaining() == 0 ? Optional.of(Verdict.APPROVED) : Optional.empty();
            if (outcome.isPresent()) {
                h.createUpdate("update run_approval set outcome = :o where run_id = :run and step = :step")
                        .bind("o", outcome.get().id())
                        .bind("run", runId)
                        .bind("step", key.stored())
                        .execute();
                after = after.withOutcome(outcome);
            }
            if (outcome.isEmpty() || key.step() != null) {
                // the status stays; the run's history still shows who approved, when and why (a
                // gate's every decision: the chain run stays running whatever the gate's outcome)
                String kept = key.step() == null ? "waiting_approval" : "running";
                h.createUpdate("insert into run_transition (run_id, from_status, to_status, at, actor, reason)"
                                + " values (:run, :kept, :kept, :at, :actor, :reason)")
                        .bind("run", runId)
                        .bind("kept", kept)
                        .bind("at", Timestamp.from(d.at()))
                        .bind("actor", d.by())
                        .bind(
                                "reason",
                                (key.step() == null ? "" : "gate " + key.step() + ": ")
                                        + ApprovalService.describe(d, after))
                        .execute();
            }
            for (Announcement m : announce.apply(after)) {
                outbox.write(h, runId, m);
            }
            return after;
        });
    }

    @Override
    public List<Approval.Key> expired(Instant now) {
        return jdbi.withHandle(h -> waiting(h).stream()
                .filter(a -> a.outcome().isEmpty() && !a.deadline().isAfter(now))
                .map(Approval::key)
                .toList());
    }

    @Override
    public List<Approval> settledButWaiting() {
        return jdbi.withHandle(
                h -> waiting(h).stream().filter(a -> a.outcome().isPresent()).toList());
    }

    @Override
    public List<Long> waitingWithoutApproval(Instant before) {
        return jdbi.withHandle(h -> {
            List<Long> waiting = h.createQuery(
                            "select id from run where status = 'waiting_approval' and queued_at < :before order by id")
                    .bind("before", Timestamp.from(before))
                    .mapTo(Long.class)
                    .list();
            if (waiting.isEmpty()) {
                return List.of();
            }
            Set<Long> asked = new HashSet<>(
                    h.createQuery("select run_id from run_approval where run_id in (<runs>) and step = ''")
                            .bindList("runs", waiting)
                            .mapTo(Long.class)
                            .list());
            return waiting.stream().filter(id -> !asked.contains(id)).toList();
        });
    }

    private static Approval withDecisions(Handle h, Approval a) {
        return a.withDecisions(decisions(h, a.key()));
    }

    private static List<Decision> decisions(Handle h, Approval.Key key) {
        return h.createQuery("select decided_by, decision, comment, at from approval_decision"
                        + " where run_id = :id and step = :step order by id")
                .bind("id", key.runId())
                .bind("step", key.stored())
                .map((rs, ctx) -> new Decision(
                        rs.getString(1),
                        Verdict.parse(rs.getString(2)),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    private static Approval map(ResultSet rs, List<Decision> decisions) throws SQLException {
        String outcome = rs.getString("outcome");
        return new Approval(
                rs.getLong("run_id"),
                rs.getInt("required"),
                rs.getTimestamp("deadline").toInstant(),
                rs.getString("starter"),
                rs.getString("starter_kind"),
                rs.getTimestamp("requested_at").toInstant(),
                outcome == null ? Optional.empty() : Optional.of(Verdict.parse(outcome)),
                decisions,
                rs.getString("decided_on"),
                rs.getString("step").isEmpty() ? null : rs.getString("step"));
    }
}
