package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.fedoraproject.releng.workflow.ansible.PlaybookRunner;
import org.fedoraproject.releng.workflow.ansible.ProcessGroup;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.ResolvedParameters;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.events.EventRecorder;
import org.fedoraproject.releng.workflow.events.LineCounter;
import org.fedoraproject.releng.workflow.events.RunEventStore;
import org.fedoraproject.releng.workflow.events.RunSummary;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one queued run on this node: claims it within its workflow's concurrency limit, runs
 * the playbook with the run's parameters and metadata, and records the final status. Runs that
 * this node was running when it died are stopped and marked {@code lost} by {@link #recoverLost}.
 */
public final class RunExecutor {

    private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);

    /**
     * What the dispatch does with the run's execution next: try again later ({@code waits}), or
     * drop it, waking {@code next} (a queued run of the same workflow, which may now have a slot,
     * and the oldest queued run waiting for each lock the run released).
     */
    public record Attempt(boolean waits, List<Long> next) {
        static final Attempt WAIT = new Attempt(true, List.of());
        static final Attempt DONE = new Attempt(false, List.of());
    }

    private final CatalogService catalog;
    private final RunRepository runs;
    private final RunLifecycle lifecycle;
    private final LogStore logs;
    private final SecretSealer sealer;
    private final PlaybookRunner runner;
    private final String node;
    private final Duration defaultTimeout;
    private final ScratchSpace scratch;
    private final Function<Run, String> runUrl;
    private final Map<Long, Stop> active = new ConcurrentHashMap<>();
    private final List<LongConsumer> finishListeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private volatile RunEventStore events;
    private volatile java.time.Clock eventClock;
    private volatile Orchestrator orchestrator;

    /** Why and by whom a running run was asked to stop. */
    private static final class Stop {
        volatile String actor;
        volatile String reason;
    }

    public RunExecutor(
            CatalogService catalog,
            RunRepository runs,
            RunLifecycle lifecycle,
            LogStore logs,
            SecretSealer sealer,
            PlaybookRunner runner,
            String node,
            Duration defaultTimeout,
            Path scratch,
            Function<Run, String> runUrl) {
        this.catalog = catalog;
        this.runs = runs;
        this.lifecycle = lifecycle;
        this.logs = logs;
        this.sealer = sealer;
        this.runner = runner;
        this.node = node;
        this.defaultTimeout = defaultTimeout;
        this.scratch = new ScratchSpace(scratch, node);
        this.runUrl = runUrl;
    }

    public Attempt execute(long runId) {
        return runs.find(runId).map(this::execute).orElse(Attempt.DONE);
    }

    /**
     * As {@link #execute(long)}, for a run the caller has just read or queued: it is not read
     * again, since starting it checks that it is still queued.
     */
    public Attempt execute(Run run) {
        long runId = run.id();
        if (run.status() != RunStatus.QUEUED) {
            return Attempt.DONE;
        }
        if (stopping) {
            // leave it queued: it starts when this node (or another) is up again
            return Attempt.WAIT;
        }
        Optional<WorkflowDefinition> workflow = definitionFor(run);
        if (workflow.isEmpty()) {
            if (catalog.current().findBroken(run.workflowId()).isPresent()) {
                // broken, and no valid definition seen since this engine started: wait for the fix
                log.debug("{} waits: its workflow's definition is broken", run.displayName());
                return Attempt.WAIT;
            }
            failBeforeStart(
                    run, "workflow `" + run.workflowId() + "` is no longer in the catalog (its file was removed)");
            return Attempt.DONE;
        }
        Optional<Run> claimed = lifecycle.start(run, workflow.get().concurrencyLimit(), node);
        if (claimed.isEmpty()) {
            return runs.find(runId)
                    .map(r -> r.status() == RunStatus.QUEUED ? Attempt.WAIT : Attempt.DONE)
                    .orElse(Attempt.DONE);
        }
        if (workflow.get().isChain()) {
            // a chain runs no playbook: it must not hold this worker while its steps run
            try {
                orchestrator().begin(claimed.get(), workflow.get());
            } catch (RuntimeException e) {
                // nothing else would ever end it: a chain that could not begin fails now, saying why
                log.error("chain {} could not begin", claimed.get().displayName(), e);
                lifecycle.finish(
                        claimed.get(), RunStatus.FAILED, node, "the chain could not begin: " + e.getMessage(), null);
            }
            return Attempt.DONE;
        }
        run(claimed.get(), workflow.get());
        return new Attempt(false, nextWaiting(run));
    }

    /**
     * The definition a queued run executes with. A file broken for a moment (an editor's save, a
     * git checkout) must not fail the runs it queued, so a broken file's last valid definition
     * stands in. A removed file's does not: removing a workflow is deliberate, and its queued runs
     * end with a reason saying so.
     */
    private Optional<WorkflowDefinition> definitionFor(Run run) {
        Optional<WorkflowDefinition> current = catalog.current().find(run.workflowId());
        if (current.isPresent()
                || catalog.current().findBroken(run.workflowId()).isEmpty()) {
            return current;
        }
        return catalog.lastKnownGood(run.workflowId());
    }

    private void run(Run run, WorkflowDefinition workflow) {
        Stop stop = new Stop();
        active.put(run.id(), stop);
        PlaybookRunner.Outcome outcome = null;
        String error = null;
        RunSummary summary = null;
        try (LineCounter out = new LineCounter(logs.append(run.id()))) {
            PlaybookRunner.line(out, run.cause().describe());
            PlaybookRunner.line(out, "Running " + run.displayName() + " on " + node);
            if (run.options().isDryRun()) {
                PlaybookRunner.line(
                        out, "DRY RUN: check mode, Ansible reports what it would change and changes nothing");
            }
            if (catalog.current().find(run.workflowId()).isEmpty()) {
                PlaybookRunner.line(
                        out, "NOTE: the workflow's definition file is broken; running with the last valid definition");
            }
            EventRecorder recorder = null;
            try {
                PlaybookRunner.Request request = request(run, workflow);
                RunEventStore store = events;
                recorder = store == null
                        ? null
                        : new EventRecorder(run.id(), store, request.secrets(), out::lines, eventClock);
                outcome = runner.run(
                        request,
                        out,
                        () -> stop.reason != null || stopping,
                        group -> runs.recordProcessGroup(run.id(), node, group),
                        recorder == null ? org.fedoraproject.releng.workflow.ansible.EventSink.NONE : recorder);
            } catch (IOException | RuntimeException e) {
                error = e.getMessage();
                log.error("run {} could not execute", run.displayName(), e);
                PlaybookRunner.line(out, "ERROR: the engine could not run the playbook: " + e.getMessage());
            }
            summary = summarize(run, recorder, out);
            RunStatus status = statusOf(outcome);
            if (status == RunStatus.CANCELLED && stopping) {
                status = RunStatus.LOST;
            }
            PlaybookRunner.line(
                    out,
                    "Finished: " + status.id().toUpperCase(java.util.Locale.ROOT)
                            + (outcome == null || outcome.exitCode() == null
                                    ? ""
                                    : " (exit code " + outcome.exitCode() + ")"));
            // readers treat a final status as "the log is complete": the last line must be on disk first
            out.flush();
            finish(run, status, outcome == null ? null : outcome.exitCode(), stop, error, summary);
        } catch (IOException e) {
            log.error("run {}: the log could not be written", run.displayName(), e);
            finish(
                    run,
                    outcome == null ? RunStatus.FAILED : statusOf(outcome),
                    null,
                    stop,
                    "log unwritable: " + e.getMessage(),
                    summary);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(run, RunStatus.LOST, null, stop, "the engine was interrupted while running", summary);
        } finally {
            active.remove(run.id());
        }
    }

    /** Chain runs are handed to {@code orchestrator} once claimed. */
    public void orchestrate(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    Orchestrator orchestrator() {
        return orchestratorIfAny().orElseThrow(() -> new IllegalStateException("no orchestrator: chains cannot run"));
    }

    /** Empty before {@link #orchestrate} (an engine built without chains, as some tests build it). */
    java.util.Optional<Orchestrator> orchestratorIfAny() {
        return java.util.Optional.ofNullable(orchestrator);
    }

    /** True for a running chain run: it runs no process here, so this node dying does not lose it. */
    boolean orchestrates(long runId) {
        Orchestrator o = orchestrator;
        return o != null && o.orchestrates(runId);
    }

    /**
     * Records the playbook's events in {@code store} from now on (their recap and outputs then go
     * with the final status). Without it runs are recorded as a console only.
     */
    public void recordEvents(RunEventStore store, java.time.Clock clock) {
        this.events = store;
        this.eventClock = clock;
    }

    /** Closes the run's events; what is missing is said in the console too, so that it reads complete. */
    private RunSummary summarize(Run run, EventRecorder recorder, OutputStream out) throws IOException {
        if (recorder == null) {
            return null;
        }
        try {
            RunSummary summary = recorder.finish();
            if (summary.state() == RunSummary.State.INCOMPLETE) {
                PlaybookRunner.line(out, "NOTE: the run's events are incomplete: " + summary.problem());
            }
            return summary;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            log.warn("{}: closing its events failed", run.displayName(), e);
            PlaybookRunner.line(out, "NOTE: the run's events are incomplete: " + e.getMessage());
            return null;
        }
    }

    private PlaybookRunner.Request request(Run run, WorkflowDefinition workflow) {
        ObjectNode vars = run.parameters().deepCopy();
        List<String> secretValues = List.of();
        // a run's secrets show as "****" in its parameters: a run without one has none sealed
        Optional<String> sealed = mayHoldSecrets(run) ? runs.sealedSecrets(run.id()) : Optional.empty();
        if (sealed.isPresent()) {
            Map<String, String> secrets = sealer.open(sealed.get());
            secrets.forEach(vars::put);
            secretValues = List.copyOf(secrets.values());
        }
        vars.put("releng_run_id", run.id());
        vars.put("releng_run_number", run.number());
        vars.put("releng_run_url", runUrl.apply(run));
        vars.put("releng_cause", run.cause().type());
        if (run.cause().user() == null) {
            vars.putNull("releng_user");
        } else {
            vars.put("releng_user", run.cause().user());
        }
        // present (null) on every run, so a playbook that is also started by hand can test them;
        // only a bus message's run has one kept, so no other run asks for it
        TriggerMessage message =
                "message".equals(run.cause().type()) ? runs.message(run.id()).orElse(null) : null;
        if (message == null) {
            vars.putNull("releng_message");
            vars.putNull("releng_message_topic");
            vars.putNull("releng_message_id");
        } else {
            vars.set("releng_message", message.body());
            vars.put("releng_message_topic", message.topic());
            vars.put("releng_message_id", message.id());
        }
        return new PlaybookRunner.Request(
                run.id(),
                catalog.directory(),
                workflow.playbook(),
                workflow.inventory(),
                vars,
                secretValues,
                workflow.timeout().orElse(defaultTimeout),
                scratch.forRun(run.id()),
                run.options(),
                workflow.vault());
    }

    private static boolean mayHoldSecrets(Run run) {
        for (JsonNode value : run.parameters()) {
            if (value.isTextual() && value.asText().equals(ResolvedParameters.MASK)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops the runs of this node that were asked to stop through another node (a cancel made
     * here stops its run at once, through {@link #stop}). One query for all of them, made only
     * while this node runs something; the dispatcher calls it on its heartbeat.
     */
    public void stopRunsCancelledElsewhere() {
        if (active.isEmpty()) {
            return;
        }
        for (long runId : runs.cancelRequestedOn(node)) {
            Stop stop = active.get(runId);
            if (stop != null && stop.reason == null) {
                stop.actor = "engine";
                stop.reason = "cancel requested";
            }
        }
    }

    private static RunStatus statusOf(PlaybookRunner.Outcome outcome) {
        if (outcome == null) {
            return RunStatus.FAILED;
        }
        return switch (outcome.ending()) {
            case SUCCEEDED -> RunStatus.SUCCEEDED;
            case FAILED -> RunStatus.FAILED;
            case TIMED_OUT -> RunStatus.TIMED_OUT;
            case CANCELLED -> RunStatus.CANCELLED;
        };
    }

    private void finish(Run run, RunStatus status, Integer exitCode, Stop stop, String error, RunSummary summary) {
        String actor = status == RunStatus.CANCELLED && stop.actor != null ? stop.actor : node;
        String reason = switch (status) {
            case CANCELLED -> stop.reason;
            case LOST -> "the engine on " + node + " stopped while the run was running";
            case TIMED_OUT -> "timed out";
            default -> error != null ? error : exitCode == null ? null : "exit code " + exitCode;
        };
        String verdict = summary == null ? null : summary.verdict(exitCode);
        if (verdict != null) {
            // what the recap adds to the exit code: which hosts failed, or that none did
            reason = reason == null ? verdict : reason + "; " + verdict;
        }
        lifecycle.finish(run, status, actor, reason, exitCode);
        log.info("{} finished: {}", run.displayName(), status.id());
        for (LongConsumer listener : finishListeners) {
            try {
                listener.accept(run.id());
            } catch (RuntimeException e) {
                log.warn("run {}: a finish listener failed: {}", run.id(), e.getMessage());
            }
        }
    }

    /**
     * Called with the run's id after a run this node executed has reached its final status (the
     * change is committed and its log complete), so that followers need not wait for their next poll.
     */
    public void onFinish(LongConsumer listener) {
        finishListeners.add(listener);
    }

    private void failBeforeStart(Run run, String reason) {
        try (OutputStream out = logs.append(run.id())) {
            PlaybookRunner.line(out, run.cause().describe());
            PlaybookRunner.line(out, "ERROR: " + reason);
            PlaybookRunner.line(out, "Finished: FAILED");
        } catch (IOException e) {
            log.warn("run {}: cannot write log: {}", run.id(), e.getMessage());
        }
        lifecycle.failBeforeStart(run, node, reason);
    }

    /** The runs that may take the slot and the locks a finished run freed; none while this node stops. */
    private List<Long> nextWaiting(Run finished) {
        if (stopping) {
            return List.of();
        }
        return runs.nextAfter(finished);
    }

    /** Asks a run this node is executing to stop; false when it is not running here. */
    public boolean stop(long runId, String actor, String reason) {
        Stop stop = active.get(runId);
        if (stop == null) {
            return false;
        }
        stop.actor = actor;
        stop.reason = reason == null ? "cancelled by " + actor : reason;
        return true;
    }

    /**
     * Runs this node was running when it last stopped cannot be followed any more: what is left of
     * their playbooks is stopped first, and only then are they marked lost, since a lost run no
     * longer counts against its workflow's concurrency limit. Then their private files (secret
     * values) are erased. Call before this node claims runs.
     */
    public int recoverLost() throws InterruptedException {
        int lost = 0;
        for (Run run : runs.runningOn(node)) {
            if (active.containsKey(run.id()) || orchestrates(run.id())) {
                continue;
            }
            String reason = "the engine on " + node + " stopped while the run was running";
            Optional<ProcessGroup> group = runs.processGroup(run.id());
            if (group.isPresent() && !runner.stopLeftover(group.get())) {
                log.error(
                        "{}: process group {} survives SIGKILL; it may overlap the next run of {}",
                        run.displayName(),
                        group.get().id(),
                        run.workflowId());
                reason += "; its process group " + group.get().id() + " could not be stopped";
            }
            markLost(run.id(), reason);
            lost++;
        }
        int erased = scratch.eraseLeftovers(
                Set.copyOf(active.keySet()),
                id -> runs.find(id).map(r -> r.status() == RunStatus.RUNNING).orElse(false));
        if (erased > 0) {
            log.info("erased {} run director{} left by an earlier engine", erased, erased == 1 ? "y" : "ies");
        }
        return lost;
    }

    /**
     * The node executing this run's dispatch stopped answering. A running run is lost; true when the
     * run is still queued (that node died while checking the limit), so it must be tried again.
     */
    public boolean deadExecution(long runId, String reason) {
        if (runs.find(runId).map(r -> r.status() == RunStatus.QUEUED).orElse(false)) {
            return true;
        }
        markLost(runId, reason);
        return false;
    }

    public void markLost(long runId, String reason) {
        // a final status wipes the run's sealed secrets with it
        Optional<Run> run = lifecycle.markLost(runId, node, reason);
        if (run.isPresent()) {
            try (OutputStream out = logs.append(runId)) {
                PlaybookRunner.line(out, "Finished: LOST (" + reason + ")");
            } catch (IOException e) {
                log.warn("run {}: cannot write log: {}", runId, e.getMessage());
            }
            log.warn("{} is lost: {}", run.get().displayName(), reason);
        }
    }

    /** Stops every run on this node; they end as {@code lost}. Returns at once. */
    public void stopAll() {
        stopping = true;
    }
}
