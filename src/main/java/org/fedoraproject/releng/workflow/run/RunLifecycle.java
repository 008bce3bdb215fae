package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;

/**
 * The one owner of every status change of a run. Each verb checks the change against the table
 * in {@link RunStatus}, builds what it records (time from the clock, actor, reason, exit code,
 * secrets wiped once the run is over, the announcements) and hands it to the repository, which
 * stores it only if the run is still where the verb found it. An empty result means someone else
 * changed the run first.
 */
public final class RunLifecycle {

    /** The size of {@code run_transition.reason}. */
    static final int REASON_SIZE = 2000;

    private final RunRepository runs;
    private final RunAnnouncer announcer;
    private final Clock clock;
    /** Told of each committed change on this node, after the announcer (live pages follow them). */
    private final java.util.List<RunObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RunLifecycle(RunRepository runs, RunAnnouncer announcer, Clock clock) {
        this.runs = runs;
        this.announcer = announcer;
        this.clock = clock;
    }

    /** Queues a new run; {@code admission} may refuse it (see {@link RunRepository#create}). */
    public Run enqueue(
            String workflowId,
            Cause cause,
            ObjectNode parameters,
            String sealedSecrets,
            String actor,
            Optional<TriggerMessage> message,
            Admission admission) {
        return enqueue(workflowId, cause, parameters, LaunchOptions.NONE, sealedSecrets, actor, message, admission);
    }

    /** As above, for a run with launch options (already checked against its workflow). */
    public Run enqueue(
            String workflowId,
            Cause cause,
            ObjectNode parameters,
            LaunchOptions options,
            String sealedSecrets,
            String actor,
            Optional<TriggerMessage> message,
            Admission admission) {
        return enqueue(workflowId, cause, parameters, options, sealedSecrets, actor, message, admission, false);
    }

    /**
     * As above; {@code waitForApproval}: the run is created {@code waiting_approval} and joins the
     * queue only when {@link #approve approved}.
     */
    public Run enqueue(
            String workflowId,
            Cause cause,
            ObjectNode parameters,
            LaunchOptions options,
            String sealedSecrets,
            String actor,
            Optional<TriggerMessage> message,
            Admission admission,
            boolean waitForApproval) {
        Run run = runs.create(
                new RunRepository.NewRun(
                        workflowId,
                        cause,
                        parameters,
                        sealedSecrets,
                        now(),
                        actor,
                        truncate(queuedBecause(cause)),
                        options,
                        waitForApproval ? RunStatus.WAITING_APPROVAL : RunStatus.QUEUED),
                message,
                admission);
        committed(run);
        return run;
    }

    /** The admission of a run a bus message starts: one run per message, at most one per {@code throttle}. */
    public static Admission messageRules(TriggerMessage message, java.time.Duration throttle) {
        return new MessageAdmission(message, throttle);
    }

    /** A queued run starts on {@code node}, if its workflow has fewer than {@code limit} running runs. */
    public Optional<Run> start(Run run, int limit, String node) {
        return commit(runs.claim(change(run, RunStatus.RUNNING, node, "started on " + node, null, node), limit));
    }

    /** A running run ended with {@code status} (succeeded, failed, timed out, cancelled or lost). */
    public Optional<Run> finish(Run run, RunStatus status, String actor, String reason, Integer exitCode) {
        if (run.status() != RunStatus.RUNNING || !status.isFinal()) {
            throw refused(run, status);
        }
        return apply(change(run, status, actor, reason, exitCode, run.node()));
    }

    /** A run that has not started is cancelled at once; a running one must be asked ({@link #requestCancel}). */
    public Optional<Run> cancel(Run run, String actor, String reason) {
        if (run.status() == RunStatus.RUNNING) {
            throw new IllegalTransitionException(run.label() + " is running: ask it to stop instead");
        }
        return apply(change(run, RunStatus.CANCELLED, actor, reason, null, run.node()));
    }

    /** Asks a running run to stop, wherever it runs; its executor ends it as cancelled. */
    public void requestCancel(long runId) {
        runs.requestCancel(runId);
    }

    /** A queued run cannot start at all (its workflow left the catalog): it fails without running. */
    public Optional<Run> failBeforeStart(Run run, String actor, String reason) {
        if (run.status() != RunStatus.QUEUED) {
            throw refused(run, RunStatus.FAILED);
        }
        return apply(change(run, RunStatus.FAILED, actor, reason, null, run.node()));
    }

    /** The node running the run died or stopped; nothing follows it any more. Empty if it is not running. */
    public Optional<Run> markLost(long runId, String actor, String reason) {
        Optional<Run> run = runs.find(runId).filter(r -> r.status() == RunStatus.RUNNING);
        return run.flatMap(r -> apply(change(r, RunStatus.LOST, actor, reason, null, r.node())));
    }

    /** An approver let a waiting run go ahead: it joins the queue. */
    public Optional<Run> approve(Run run, String actor, String reason) {
        return apply(change(run, RunStatus.QUEUED, actor, reason, null, run.node()));
    }

    /** An approver refused a waiting run; it never runs. */
    public Optional<Run> reject(Run run, String actor, String reason) {
        return apply(change(run, RunStatus.REJECTED, actor, reason, null, run.node()));
    }

    private Optional<Run> apply(RunRepository.Change change) {
        return commit(runs.transition(change));
    }

    private Optional<Run> commit(Optional<Run> stored) {
        stored.ifPresent(this::committed);
        return stored;
    }

    /** {@code observer} is told of every status change committed on this node from now on. */
    public void observe(RunObserver observer) {
        observers.add(observer);
    }

    private void committed(Run run) {
        announcer.committed(run);
        for (RunObserver observer : observers) {
            observer.transitioned(run);
        }
    }

    /** The one place a change is checked against the table and what it records is built. */
    private RunRepository.Change change(
            Run run, RunStatus to, String actor, String reason, Integer exitCode, String node) {
        if (!run.status().canBecome(to)) {
            throw refused(run, to);
        }
        Instant at = now();
        Run after = new Run(
                run.id(),
                run.workflowId(),
                run.number(),
                to,
                run.cause(),
                run.parameters(),
                run.queuedAt(),
                to == RunStatus.RUNNING ? at : run.startedAt(),
                to.isFinal() ? at : run.finishedAt(),
                to.isFinal() ? exitCode : run.exitCode(),
                node,
                run.cancelRequested(),
                run.options());
        RunTransition record = new RunTransition(run.id(), run.status(), to, at, actor, truncate(reason));
        return new RunRepository.Change(
                after, record, to.isFinal(), announcer.announce(after, () -> runs.message(run.id())));
    }

    private static IllegalTransitionException refused(Run run, RunStatus to) {
        return new IllegalTransitionException(
                run.label() + " is " + run.status().id() + " and cannot become " + to.id());
    }

    /** Whole microseconds: what the database keeps, so that announcements and the history agree. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The history's first line: the cause, and the reason its starter gave. */
    private static String queuedBecause(Cause cause) {
        return cause.reason() == null ? cause.describe() : cause.describe() + ": " + cause.reason();
    }

    private static String truncate(String reason) {
        return reason == null || reason.length() <= REASON_SIZE ? reason : reason.substring(0, REASON_SIZE);
    }
}
