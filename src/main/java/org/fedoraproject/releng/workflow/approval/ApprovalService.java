package org.fedoraproject.releng.workflow.approval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.catalog.ApprovalRule;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.run.Announcement;
import org.fedoraproject.releng.workflow.run.ApprovalGate;
import org.fedoraproject.releng.workflow.run.Dispatch;
import org.fedoraproject.releng.workflow.run.IllegalTransitionException;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunLifecycle;
import org.fedoraproject.releng.workflow.run.RunRepository;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs that wait for approval: opening the wait, each person's decision, the timeout. A decision
 * is recorded and the approval settled in one step ({@link Approvals#decide}); only then does the
 * run change status, through the lifecycle, whose conditional update lets exactly one change win.
 * Should the engine stop between the two, {@link #sweep} finishes the change.
 */
public final class ApprovalService implements ApprovalGate {

    private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);
    /** A waiting run older than this without an approval row lost it to a crash while it was queued. */
    private static final Duration ORPHAN_AGE = Duration.ofMinutes(1);

    /** Who the engine is when it decides (timeouts): no person can have this name decide twice. */
    public static final String ENGINE = "engine";

    private final Approvals approvals;
    private final RunRepository runs;
    private final RunLifecycle lifecycle;
    private final Dispatch dispatch;
    private final CatalogService catalog;
    private final Optional<ApprovalMessages> messages;
    private final Runnable wake;
    private final Clock clock;
    private volatile Gates gates = (chainRun, step, approved, reason) -> {
        throw new IllegalStateException("no chains wired: gate " + step + " of " + chainRun.label() + " stays");
    };

    /** Who moves a chain on once one of its gates is settled (the chains feature). */
    public interface Gates {
        void settled(Run chainRun, String step, boolean approved, String reason);
    }

    /** {@code links} null: no bus is enabled and nothing is announced; {@code wake} is called after an announcement commits. */
    public ApprovalService(
            Approvals approvals,
            RunRepository runs,
            RunLifecycle lifecycle,
            Dispatch dispatch,
            CatalogService catalog,
            org.fedoraproject.releng.workflow.run.Links links,
            Runnable wake,
            Clock clock) {
        this.approvals = approvals;
        this.runs = runs;
        this.lifecycle = lifecycle;
        this.dispatch = dispatch;
        this.catalog = catalog;
        this.messages = Optional.ofNullable(links).map(ApprovalMessages::new);
        this.wake = wake;
        this.clock = clock;
    }

    @Override
    public void open(Run run, ApprovalRule rule, Principal starter, String decidedOn) {
        ask(run, rule, starter, decidedOn, null);
    }

    /** Opens the approval of {@code run} ({@code step} null) or of its gate {@code step}, and says so. */
    private void ask(Run run, ApprovalRule rule, Principal starter, String decidedOn, String step) {
        Instant now = now();
        Approval approval = new Approval(
                run.id(),
                rule.count(),
                now.plus(rule.timeout()),
                starter == null ? null : starter.name(),
                starter == null ? ENGINE : starter.kind().name().toLowerCase(java.util.Locale.ROOT),
                now,
                Optional.empty(),
                List.of(),
                decidedOn,
                step);
        approvals.open(
                approval,
                messages.map(m -> List.of(m.request(run, title(run), approval, now)))
                        .orElse(List.of()));
        wake.run();
    }

    /** Set once, before any gate opens. */
    public void onGates(Gates chains) {
        this.gates = chains;
    }

    /**
     * A chain run waits at gate {@code step}: decided by the holders of {@code approve} on the
     * chain, never by {@code starter}, who started the chain. Opening a gate already open keeps it.
     */
    public void openGate(Run chainRun, String step, ApprovalRule rule, Principal starter) {
        ask(chainRun, rule, starter, null, step);
    }

    public Optional<Approval> of(long runId) {
        return approvals.find(runId);
    }

    /** The gates of a chain run that still wait for a decision. */
    public List<Approval> openGates(long chainRunId) {
        return approvals.gates(chainRunId).stream()
                .filter(a -> a.outcome().isEmpty())
                .toList();
    }

    /** Every gate of a chain run, decided or not. */
    public List<Approval> gates(long chainRunId) {
        return approvals.gates(chainRunId);
    }

    /**
     * Why {@code who} may not decide the run, if they may not; {@code holdsApprove}: whether they
     * hold {@code approve} on its workflow now (decided by the caller's access policy).
     */
    public Optional<String> refusal(Run run, Approval approval, Principal who, boolean holdsApprove) {
        if (who.name().equals(approval.starter())) {
            return Optional.of(who.name() + " started " + run.displayName()
                    + ": a run is never decided by its own starter (nor by the token or service account it was"
                    + " started with)");
        }
        if (!holdsApprove) {
            return Optional.of("deciding " + run.displayName() + " needs the `approve` permission on workflow `"
                    + approval.decidedOn(run.workflowId()) + "`, which " + who.name() + " does not hold");
        }
        return Optional.empty();
    }

    /** A person approves or denies a waiting run; the run as it is afterwards. */
    public Run decide(long runId, Principal who, boolean holdsApprove, Verdict verdict, String comment) {
        return decide(Approval.Key.of(runId), who, holdsApprove, verdict, comment);
    }

    /** As above, for a run's own approval or (with a step) a gate of a chain run. */
    public Run decide(Approval.Key key, Principal who, boolean holdsApprove, Verdict verdict, String comment) {
        if (verdict == Verdict.TIMED_OUT) {
            throw new IllegalArgumentException("only the engine times an approval out");
        }
        long runId = key.runId();
        Run run = runs.find(runId).orElseThrow(() -> new NotFoundException("no run " + runId));
        RunStatus waits = key.step() == null ? RunStatus.WAITING_APPROVAL : RunStatus.RUNNING;
        if (run.status() != waits) {
            throw new IllegalTransitionException(
                    run.label() + " is " + run.status().id() + ", not waiting for approval");
        }
        Approval open = approvals
                .find(key)
                .filter(a -> key.step() == null || a.outcome().isEmpty())
                .orElseThrow(() -> new IllegalTransitionException(run.label()
                        + (key.step() == null
                                ? " has no approval to decide"
                                : " does not wait at a gate `" + key.step() + "`")));
        refusal(run, open, who, holdsApprove).ifPresent(problem -> {
            throw new ApprovalRefusedException(problem);
        });
        return record(run, key, new Decision(who.name(), verdict, comment, now()));
    }

    private Run record(Run run, Approval.Key key, Decision decision) {
        Approval after = approvals.decide(
                key,
                decision,
                a -> messages.map(m -> List.of(m.decision(run, title(run), a, decision)))
                        .orElse(List.<Announcement>of()));
        wake.run();
        log.info("{}: {}", run.displayName(), describe(decision, after));
        return after.outcome().isPresent() ? settle(run, after, decision) : run;
    }

    /** The run leaves waiting as its approval was settled; empty changes mean someone else moved it first. */
    private Run settle(Run run, Approval approval, Decision last) {
        String reason = describe(last, approval);
        if (approval.isGate()) {
            gates.settled(run, approval.step(), approval.outcome().get() == Verdict.APPROVED, reason);
            return runs.find(run.id()).orElse(run);
        }
        Optional<Run> changed = approval.outcome().get() == Verdict.APPROVED
                ? lifecycle.approve(run, last.by(), reason)
                : lifecycle.reject(run, last.by(), reason);
        changed.filter(r -> r.status() == RunStatus.QUEUED).ifPresent(dispatch::dispatch);
        return changed.orElseGet(() -> runs.find(run.id()).orElse(run));
    }

    /** What the history says of a decision: who, what, why, and how far the approval got. */
    static String describe(Decision d, Approval a) {
        String what = switch (d.verdict()) {
            case APPROVED -> "approved by " + d.by() + " (" + a.approvals() + " of " + a.required() + ")";
            case DENIED -> "denied by " + d.by();
            case TIMED_OUT -> "not approved in time (deadline " + a.deadline() + "); rejected";
        };
        return d.comment() == null || d.comment().isBlank() ? what : what + ": " + d.comment();
    }

    /** Waiting runs {@code who} may decide: {@code mayApprove} says whether they hold approve on a workflow. */
    public List<Waiting> waitingFor(Principal who, Predicate<String> mayApprove) {
        return approvals.open().stream()
                .flatMap(a -> runs.find(a.runId()).map(r -> new Waiting(r, a)).stream())
                .filter(w -> !who.isAnonymous()
                        && mayApprove.test(w.approval().decidedOn(w.run().workflowId()))
                        && !who.name().equals(w.approval().starter()))
                .toList();
    }

    /** Every waiting run with its approval, for pages that list them to all who may read them. */
    public List<Waiting> waiting() {
        return approvals.open().stream()
                .flatMap(a -> runs.find(a.runId()).map(r -> new Waiting(r, a)).stream())
                .toList();
    }

    public record Waiting(Run run, Approval approval) {}

    /**
     * Times out what passed its deadline and finishes what a stopped engine left half done. Run
     * by one node at a time (a db-scheduler recurring task); every step is conditional, so a
     * second node doing the same finds nothing to do.
     */
    public void sweep() {
        Instant now = now();
        for (Approval.Key key : approvals.expired(now)) {
            runs.find(key.runId()).ifPresent(run -> {
                try {
                    record(run, key, new Decision(ENGINE, Verdict.TIMED_OUT, null, now));
                } catch (IllegalTransitionException e) {
                    log.debug("{} was decided meanwhile: {}", run.displayName(), e.getMessage());
                }
            });
        }
        for (Approval settled : approvals.settledButWaiting()) {
            runs.find(settled.runId()).ifPresent(run -> {
                Decision last = settled.decisions().isEmpty()
                        ? new Decision(ENGINE, settled.outcome().get(), null, now)
                        : settled.decisions().get(settled.decisions().size() - 1);
                settle(run, settled, last);
            });
        }
        for (long runId : approvals.waitingWithoutApproval(now.minus(ORPHAN_AGE))) {
            runs.find(runId)
                    .ifPresent(run -> lifecycle.reject(
                            run, ENGINE, "its approval was never recorded (the engine stopped while queueing it)"));
        }
    }

    private String title(Run run) {
        return catalog.lastKnownGood(run.workflowId())
                .map(WorkflowDefinition::title)
                .orElse(run.workflowId());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
