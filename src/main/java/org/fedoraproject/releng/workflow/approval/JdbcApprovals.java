package org.fedoraproject.releng.workflow.approval;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.fedoraproject.releng.workflow.run.Announcement;
import org.fedoraproject.releng.workflow.run.IllegalTransitionException;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Approvals in SQL (PostgreSQL, or H2 in PostgreSQL mode); announcements go to the outbox in the same transaction. */
public final class JdbcApprovals implements Approvals {

    private static final String COLUMNS =
            "run_id, required, deadline, starter, starter_kind, requested_at, outcome, decided_on";

    private final Jdbi jdbi;
    private final JdbcRunRepository.OutboxWriter outbox;

    public JdbcApprovals(Jdbi jdbi, JdbcRunRepository.OutboxWriter outbox) {
        this.jdbi = jdbi;
        this.outbox = outbox;
    }

    @Override
    public void open(Approval a, List<Announcement> announcements) {
        jdbi.useTransaction(h -> {
            h.createUpdate("insert into run_approval (" + COLUMNS + ")"
                            + " values (:run, :required, :deadline, :starter, :kind, :at, null, :decidedOn)")
                    .bind("run", a.runId())
                    .bind("required", a.required())
                    .bind("deadline", Timestamp.from(a.deadline()))
                    .bind("starter", a.starter())
                    .bind("kind", a.starterKind())
                    .bind("at", Timestamp.from(a.requestedAt()))
                    .bind("decidedOn", a.decidedOn())
                    .execute();
            announcements.forEach(m -> outbox.write(h, a.runId(), m));
        });
    }

    @Override
    public Optional<Approval> find(long runId) {
        return jdbi.withHandle(h -> find(h, runId, false));
    }

    private Optional<Approval> find(Handle h, long runId, boolean lock) {
        return h.createQuery(
                        "select " + COLUMNS + " from run_approval where run_id = :id" + (lock ? " for update" : ""))
                .bind("id", runId)
                .map((rs, ctx) -> map(rs, List.of()))
                .findOne()
                .map(a -> withDecisions(h, a));
    }

    @Override
    public List<Approval> open() {
        return jdbi.withHandle(h -> h
                .createQuery("select " + COLUMNS.replaceAll("(^|, )", "$1a.")
                        + " from run_approval a join run r on r.id = a.run_id"
                        + " where a.outcome is null and r.status = 'waiting_approval' order by a.run_id")
                .map((rs, ctx) -> map(rs, List.of()))
                .list()
                .stream()
                .map(a -> withDecisions(h, a))
                .toList());
    }

    @Override
    public Approval decide(long runId, Decision d, Function<Approval, List<Announcement>> announce) {
        return jdbi.inTransaction(h -> {
            // the approval's row is the lock: decisions about one run take turns from here on
            Approval before = find(h, runId, true)
                    .orElseThrow(() -> new IllegalTransitionException("run " + runId + " is not waiting for approval"));
            String status = h.createQuery("select status from run where id = :id")
                    .bind("id", runId)
                    .mapTo(String.class)
                    .one();
            if (before.outcome().isPresent() || !status.equals("waiting_approval")) {
                throw new IllegalTransitionException("run " + runId + " is not waiting for approval any more: it was "
                        + before.outcome().map(Verdict::id).orElse(status));
            }
            if (before.decidedBy(d.by())) {
                throw new IllegalTransitionException(d.by() + " has already decided run " + runId
                        + "; the approval needs " + before.required() + " distinct people");
            }
            h.createUpdate("insert into approval_decision (run_id, decided_by, decision, comment, at)"
                            + " values (:run, :by, :decision, :comment, :at)")
                    .bind("run", runId)
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
                h.createUpdate("update run_approval set outcome = :o where run_id = :run")
                        .bind("o", outcome.get().id())
                        .bind("run", runId)
                        .execute();
                after = after.withOutcome(outcome);
            }
            if (outcome.isEmpty()) {
                // the status stays; the run's history still shows who approved, when and why
                h.createUpdate("insert into run_transition (run_id, from_status, to_status, at, actor, reason)"
                                + " values (:run, 'waiting_approval', 'waiting_approval', :at, :actor, :reason)")
                        .bind("run", runId)
                        .bind("at", Timestamp.from(d.at()))
                        .bind("actor", d.by())
                        .bind("reason", ApprovalService.describe(d, after))
                        .execute();
            }
            for (Announcement m : announce.apply(after)) {
                outbox.write(h, runId, m);
            }
            return after;
        });
    }

    @Override
    public List<Long> expired(Instant now) {
        return jdbi.withHandle(h -> h.createQuery("select a.run_id from run_approval a join run r on r.id = a.run_id"
                        + " where a.outcome is null and r.status = 'waiting_approval' and a.deadline <= :now"
                        + " order by a.run_id")
                .bind("now", Timestamp.from(now))
                .mapTo(Long.class)
                .list());
    }

    @Override
    public List<Approval> settledButWaiting() {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS.replaceAll("(^|, )", "$1a.")
                        + " from run_approval a join run r on r.id = a.run_id"
                        + " where a.outcome is not null and r.status = 'waiting_approval' order by a.run_id")
                .map((rs, ctx) -> map(rs, List.of()))
                .list());
    }

    @Override
    public List<Long> waitingWithoutApproval(Instant before) {
        return jdbi.withHandle(h -> h.createQuery("select r.id from run r left join run_approval a on a.run_id = r.id"
                        + " where r.status = 'waiting_approval' and a.run_id is null and r.queued_at < :before")
                .bind("before", Timestamp.from(before))
                .mapTo(Long.class)
                .list());
    }

    private static Approval withDecisions(Handle h, Approval a) {
        return a.withDecisions(decisions(h, a.runId()));
    }

    private static List<Decision> decisions(Handle h, long runId) {
        return h.createQuery("select decided_by, decision, comment, at from approval_decision"
                        + " where run_id = :id order by id")
                .bind("id", runId)
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
                rs.getString("decided_on"));
    }
}
