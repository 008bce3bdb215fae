package org.fedoraproject.releng.workflow.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.ansible.PlaybookRunner;
import org.fedoraproject.releng.workflow.approval.ApprovalService;
import org.fedoraproject.releng.workflow.catalog.ApprovalRule;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.ChainDefinition;
import org.fedoraproject.releng.workflow.catalog.InvalidParametersException;
import org.fedoraproject.releng.workflow.catalog.StepValues;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.events.RunEventStore;
import org.fedoraproject.releng.workflow.events.RunSummary;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.IllegalTransitionException;
import org.fedoraproject.releng.workflow.run.Orchestrator;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunLifecycle;
import org.fedoraproject.releng.workflow.run.RunRepository;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.fedoraproject.releng.workflow.run.SecretSealer;
import org.fedoraproject.releng.workflow.run.StepStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs chains. A chain run is claimed like any run and then handed here: it stays {@code running}
 * while its steps, runs of other workflows with cause {@code chain}, run; it holds no worker.
 * Where each step stands is in the database ({@link ChainSteps}), so whichever node sees a step
 * run end advances its chain, a periodic sweep advances any chain a missed event left behind, and
 * a restart continues where the chain was. Steps start on the chain's authority: whoever may run
 * the chain gets its steps run, whatever they may do with the step workflows themselves.
 */
public final class ChainService implements Orchestrator, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChainService.class);
    /**
     * A step claimed ({@code starting}) longer ago than this without a run lost its node between
     * the claim and the queueing of its run (which takes milliseconds): it is claimed again.
     */
    static final Duration STALE_CLAIM = Duration.ofMinutes(2);

    /** The parts a chain needs from the rest of the engine. */
    public record Parts(
            CatalogService catalog,
            RunService service,
            RunRepository runs,
            RunLifecycle lifecycle,
            SecretSealer sealer,
            RunEventStore events,
            LogStore logs,
            Function<Run, String> runUrl,
            String node,
            Duration sweep,
            Clock clock,
            ApprovalService approvals,
            Function<String, java.util.Set<String>> groupsOf) {}

    private final Parts parts;
    private final ChainSteps steps;
    private final ExecutorService advancing;
    private final ScheduledExecutorService sweeper;
    /**
     * Until the dispatch runs, a step cannot be queued: the runs this node left running are
     * marked lost before that, and the first sweep moves their chains on.
     */
    private volatile boolean started;

    public ChainService(Parts parts, org.jdbi.v3.core.Jdbi jdbi) {
        this(parts, new JdbcChainSteps(jdbi));
    }

    ChainService(Parts parts, ChainSteps steps) {
        this.parts = parts;
        this.steps = steps;
        this.advancing = Executors.newSingleThreadExecutor(named("chain-advance"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(named("chain-sweep"));
    }

    /** From now on the sweep advances every running chain, the first time at once (after a restart). */
    public void start() {
        started = true;
        long every = parts.sweep().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Advances every running chain; the safety net for a step's end that no node acted on. */
    void sweep() {
        try {
            for (long chainRunId : steps.runningChains()) {
                advanceSurviving(chainRunId);
            }
        } catch (RuntimeException e) {
            log.warn("chain sweep failed: {}", e.getMessage());
        }
    }

    /** Told of every committed status change on this node: a step run that ended moves its chain on. */
    public void transitioned(Run run) {
        if (!started || !run.status().isFinal() || !"chain".equals(run.cause().type())) {
            return;
        }
        try {
            advancing.execute(() -> {
                try {
                    steps.chainOf(run.id()).ifPresent(this::advanceSurviving);
                } catch (RuntimeException e) {
                    log.warn("advancing the chain of run {} failed: {}", run.id(), e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: the sweep of the next engine moves the chain on
            log.debug("not advancing the chain of run {}: stopping", run.id());
        }
    }

    @Override
    public boolean orchestrates(long runId) {
        return steps.isChain(runId);
    }

    @Override
    public void begin(Run run, WorkflowDefinition workflow) {
        steps.markChain(run.id(), workflow.id(), null);
        ChainDefinition chain = workflow.chain().orElseThrow();
        steps.seed(
                run.id(), chain.steps().stream().map(ChainDefinition.Step::id).toList(), now());
        line(run.id(), run.cause().describe());
        line(
                run.id(),
                "Running chain " + run.displayName() + " (" + chain.steps().size() + " steps) from " + parts.node());
        advanceSurviving(run.id());
    }

    private void advanceSurviving(long chainRunId) {
        try {
            advance(chainRunId);
        } catch (RuntimeException e) {
            log.error("advancing chain run {} failed; the sweep tries again", chainRunId, e);
        }
    }

    /** Starts what can start, skips what cannot run, and ends the chain once every step is over. */
    synchronized void advance(long chainRunId) {
        boolean again = true;
        while (again) {
            again = false;
            Optional<Run> found = parts.runs().find(chainRunId).filter(r -> r.status() == RunStatus.RUNNING);
            if (found.isEmpty()) {
                return;
            }
            Run chainRun = found.get();
            Optional<ChainDefinition> chain = definition(chainRun.workflowId()).flatMap(WorkflowDefinition::chain);
            if (chain.isEmpty()) {
                end(
                        chainRun,
                        RunStatus.FAILED,
                        "workflow `" + chainRun.workflowId() + "` is no longer a chain in the catalog");
                return;
            }
            steps.seed(
                    chainRunId,
                    chain.get().steps().stream().map(ChainDefinition.Step::id).toList(),
                    now());
            for (String reclaimed : steps.releaseStaleClaims(chainRunId, now().minus(STALE_CLAIM), now())) {
                line(chainRunId, shown(chain.get(), reclaimed) + ": its start was interrupted; starting it again");
                log.warn("{}: step {} was claimed but never started; starting it again", chainRun.label(), reclaimed);
            }
            Map<String, ChainSteps.Row> rows = rowsOf(chainRunId);
            Map<String, ChainProgress.State> states = new HashMap<>();
            rows.forEach((id, row) -> states.put(id, stateOf(row)));
            ChainProgress.Plan plan = ChainProgress.plan(chain.get(), states);
            for (String skipped : plan.skip()) {
                if (steps.move(chainRunId, skipped, "pending", "skipped", null, now())) {
                    line(chainRunId, shown(chain.get(), skipped) + ": skipped (its `when` is not met)");
                }
            }
            for (String id : plan.start()) {
                if (steps.move(chainRunId, id, "pending", "starting", null, now())) {
                    startStep(chainRun, chain.get(), chain.get().step(id).orElseThrow(), rows);
                    again = true;
                }
            }
            if (plan.outcome().isPresent()) {
                end(
                        chainRun,
                        plan.outcome().get(),
                        plan.unhandled().isEmpty()
                                ? null
                                : "failed at "
                                        + String.join(
                                                ", ",
                                                plan.unhandled().stream()
                                                        .map(id -> shown(chain.get(), id))
                                                        .toList())
                                        + ", which no failure step handles");
                return;
            }
        }
    }

    private void startStep(
            Run chainRun, ChainDefinition chain, ChainDefinition.Step step, Map<String, ChainSteps.Row> rows) {
        if (step.isGate()) {
            openGate(chainRun, step);
            return;
        }
        try {
            ObjectNode values = values(chainRun, step, rows);
            Run stepRun = parts.service()
                    .trigger(
                            step.workflow(),
                            values,
                            new Cause(
                                    "chain",
                                    chainRun.cause().user(),
                                    parts.runUrl().apply(chainRun)),
                            "chain " + chainRun.label(),
                            new StepStart(
                                    step.locks(),
                                    step.approval(),
                                    chainRun.workflowId(),
                                    chainRun.cause().type(),
                                    starter(chainRun),
                                    // recorded before the run can start or wait: the claim is never left without it
                                    queued -> steps.started(chainRun.id(), step.id(), queued.id(), now())));
            line(
                    chainRun.id(),
                    hidden(step)
                            ? shown(chain, step.id()) + ": started"
                            : shown(chain, step.id()) + ": started " + stepRun.displayName() + " "
                                    + parts.runUrl().apply(stepRun));
        } catch (RuntimeException e) {
            String error = e instanceof InvalidParametersException invalid
                            && !invalid.fields().isEmpty()
                    ? "its parameters are refused: " + invalid.fields()
                    : e.getMessage();
            steps.move(chainRun.id(), step.id(), "starting", "failed", error, now());
            line(chainRun.id(), shown(chain, step.id()) + ": FAILED to start" + (hidden(step) ? "" : ": " + error));
            log.info("{}: step {} could not start: {}", chainRun.label(), step.id(), error);
        }
    }

    /**
     * The chain waits at a gate until the chain's approvers decide ({@link #gateSettled}); its
     * {@code unless} is judged by the chain's cause and starter, as a step run's approval is.
     */
    private void openGate(Run chainRun, ChainDefinition.Step gate) {
        ApprovalRule rule = gate.approval().orElseThrow();
        Principal starter = starter(chainRun);
        try {
            if (!rule.requiredFor(chainRun.cause().type(), starter)) {
                steps.move(chainRun.id(), gate.id(), "starting", "succeeded", null, now());
                line(chainRun.id(), "step " + gate.id() + ": passed (its approval's `unless` covers this chain run)");
                return;
            }
            // opened before the chain is seen waiting, so that a decision always finds the approval
            parts.approvals().openGate(chainRun, gate.id(), rule, starter);
            steps.move(chainRun.id(), gate.id(), "starting", "waiting", null, now());
            line(
                    chainRun.id(),
                    "step " + gate.id() + ": waiting for " + rule.count() + " approval(s) until "
                            + now().plus(rule.timeout()));
        } catch (RuntimeException e) {
            steps.move(chainRun.id(), gate.id(), "starting", "failed", e.getMessage(), now());
            line(chainRun.id(), "step " + gate.id() + ": FAILED to open: " + e.getMessage());
            log.warn("{}: gate {} could not open: {}", chainRun.label(), gate.id(), e.getMessage());
        }
    }

    /**
     * Who started the chain, for a step's {@code unless}: a person with the groups of their last
     * login (the chain run keeps only their name); null for schedules and messages.
     */
    private Principal starter(Run chainRun) {
        String user = chainRun.cause().user();
        return user == null
                ? null
                : new Principal(Principal.Kind.USER, user, parts.groupsOf().apply(user));
    }

    /** A gate's approval was settled: approved, the gate succeeded; denied or timed out, it is rejected. */
    public void gateSettled(Run chainRun, String gate, boolean approved, String reason) {
        if (steps.move(chainRun.id(), gate, "waiting", approved ? "succeeded" : "rejected", reason, now())) {
            line(chainRun.id(), "step " + gate + ": " + reason);
        }
        advanceSurviving(chainRun.id());
    }

    /**
     * How the chain's log and history name a step. The chain's readers need not be able to read
     * every step's workflow: a restricted step is "a hidden step" there, without id, name or link
     * (the step's own run, which only its readers see, says the rest).
     */
    private String shown(ChainDefinition chain, String stepId) {
        return chain.step(stepId).filter(this::hidden).isPresent() ? "a hidden step" : "step " + stepId;
    }

    /** A step whose workflow is restricted, or unknown (then its visibility cannot be known). */
    private boolean hidden(ChainDefinition.Step step) {
        if (step.isGate()) {
            return false;
        }
        return parts.catalog()
                .lastKnownGood(step.workflow())
                .map(WorkflowDefinition::isRestricted)
                .orElse(true);
    }

    /** The step's parameter values with every reference replaced, the chain's secrets included. */
    private ObjectNode values(Run chainRun, ChainDefinition.Step step, Map<String, ChainSteps.Row> rows) {
        ObjectNode chainValues = chainRun.parameters().deepCopy();
        parts.runs()
                .sealedSecrets(chainRun.id())
                .ifPresent(box -> parts.sealer().open(box).forEach(chainValues::put));
        ObjectNode values = chainValues.objectNode();
        step.parameters()
                .forEach((name, template) -> values.set(name, StepValues.substitute(template, reference -> {
                    if (reference instanceof StepValues.ParameterReference p) {
                        JsonNode value = chainValues.get(p.name());
                        return value == null || value.isNull() ? TextNode.valueOf("") : value;
                    }
                    StepValues.OutputReference o = (StepValues.OutputReference) reference;
                    return output(o, rows.get(o.step()));
                })));
        return values;
    }

    private JsonNode output(StepValues.OutputReference o, ChainSteps.Row row) {
        JsonNode value = row == null || row.runId() == null
                ? null
                : parts.events()
                        .summary(row.runId())
                        .map(RunSummary::outputs)
                        .map(outputs -> outputs.get(o.name()))
                        .orElse(null);
        if (value == null || value.isNull()) {
            throw new IllegalStateException(
                    "`" + o.text() + "`: step " + o.step() + " published no output `" + o.name() + "`");
        }
        return value;
    }

    private void end(Run chainRun, RunStatus status, String reason) {
        line(
                chainRun.id(),
                (reason == null ? "" : reason + "\n") + "Finished: "
                        + status.id().toUpperCase(java.util.Locale.ROOT));
        parts.lifecycle().finish(chainRun, status, parts.node(), reason, null);
        log.info("{} finished: {}", chainRun.displayName(), status.id());
    }

    @Override
    public synchronized Run cancel(Run run, String actor, String reason) {
        Optional<Run> cancelled = parts.lifecycle().finish(run, RunStatus.CANCELLED, actor, reason, null);
        if (cancelled.isEmpty()) {
            // it ended meanwhile: say how, as a cancel of any finished run does
            return parts.lifecycle()
                    .cancel(parts.service().find(run.id()), actor, reason)
                    .orElseThrow();
        }
        for (ChainSteps.Row row : steps.rows(run.id())) {
            if (steps.move(run.id(), row.stepId(), "pending", "cancelled", null, now())
                    || steps.move(run.id(), row.stepId(), "waiting", "cancelled", null, now())) {
                continue;
            }
            if ("started".equals(row.status()) && row.runId() != null) {
                cancelStep(run, row, actor);
            }
        }
        line(run.id(), (reason == null ? "cancelled" : reason) + "\nFinished: CANCELLED");
        return cancelled.get();
    }

    private void cancelStep(Run chainRun, ChainSteps.Row row, String actor) {
        try {
            Run step = parts.service().find(row.runId());
            if (!step.status().isFinal()) {
                parts.service().cancel(step.id(), actor, "the chain " + chainRun.label() + " was cancelled");
            }
        } catch (IllegalTransitionException | NotFoundException e) {
            log.debug("step {} of {} was over already: {}", row.stepId(), chainRun.label(), e.getMessage());
        }
    }

    @Override
    public Run resume(long runId, ObjectNode secrets, String actor) {
        Run old = parts.service().find(runId);
        if (!steps.isChain(runId)) {
            throw new IllegalTransitionException(old.label() + " is not a chain run; only a chain can be resumed");
        }
        if (old.status() != RunStatus.FAILED) {
            throw new IllegalTransitionException(
                    old.label() + " is " + old.status().id() + "; only a failed chain can be resumed");
        }
        WorkflowDefinition chain = parts.service().workflow(old.workflowId());
        List<ChainSteps.Row> kept = new ArrayList<>();
        for (ChainSteps.Row row : steps.rows(runId)) {
            boolean succeeded = row.runId() != null
                    && parts.runs()
                            .find(row.runId())
                            .map(r -> r.status() == RunStatus.SUCCEEDED)
                            .orElse(false);
            if (succeeded && chain.chain().orElseThrow().step(row.stepId()).isPresent()) {
                kept.add(row);
            }
        }
        ObjectNode parameters = ResumedParameters.of(old, chain, secrets);
        Run fresh = parts.service()
                .trigger(
                        chain.id(),
                        parameters,
                        null,
                        new Cause("resume", actor, "resume of " + old.label()),
                        actor,
                        queued -> {
                            steps.markChain(queued.id(), chain.id(), old.id());
                            kept.forEach(row -> steps.reuse(queued.id(), row.stepId(), row.runId(), now()));
                        });
        line(
                old.id(),
                "Resumed as " + fresh.displayName() + " " + parts.runUrl().apply(fresh));
        return fresh;
    }

    @Override
    public List<Step> steps(long runId) {
        Optional<Run> run = parts.runs().find(runId);
        if (run.isEmpty()) {
            return List.of();
        }
        Optional<ChainDefinition> chain = definition(run.get().workflowId()).flatMap(WorkflowDefinition::chain);
        Map<String, ChainSteps.Row> rows = rowsOf(runId);
        if (chain.isEmpty() && rows.isEmpty()) {
            return List.of();
        }
        List<Step> result = new ArrayList<>();
        for (ChainDefinition.Step step : chain.map(ChainDefinition::steps).orElse(List.of())) {
            result.add(view(step, rows.remove(step.id())));
        }
        // steps an edit of the chain removed since this run: still shown, as they ran
        rows.values()
                .forEach(row -> result.add(view(
                        new ChainDefinition.Step(
                                row.stepId(),
                                null,
                                List.of(),
                                ChainDefinition.When.SUCCESS,
                                Map.of(),
                                List.of(),
                                Optional.empty()),
                        row)));
        return result;
    }

    private Step view(ChainDefinition.Step step, ChainSteps.Row row) {
        String id = step.id();
        if (row == null || row.runId() == null) {
            String status = row == null || "starting".equals(row.status())
                    ? "pending"
                    : "waiting".equals(row.status()) ? "waiting_approval" : row.status();
            return new Step(
                    id,
                    step.workflow(),
                    status,
                    Optional.empty(),
                    row == null ? null : row.error(),
                    step.after(),
                    step.when().id(),
                    step.isGate());
        }
        Optional<Run> run = parts.runs().find(row.runId());
        return new Step(
                id,
                step.workflow() == null ? run.map(Run::workflowId).orElse(null) : step.workflow(),
                run.map(r -> r.status().id()).orElse("pending"),
                run,
                row.error(),
                step.after(),
                step.when().id(),
                false);
    }

    @Override
    public Optional<Run> chainOf(long runId) {
        return steps.chainOf(runId).flatMap(parts.runs()::find);
    }

    @Override
    public Optional<Run> resumes(long runId) {
        return steps.resumes(runId).flatMap(parts.runs()::find);
    }

    @Override
    public Optional<Run> resumedBy(long runId) {
        return steps.resumedBy(runId).flatMap(parts.runs()::find);
    }

    private Map<String, ChainSteps.Row> rowsOf(long chainRunId) {
        Map<String, ChainSteps.Row> rows = new java.util.LinkedHashMap<>();
        steps.rows(chainRunId).forEach(r -> rows.put(r.stepId(), r));
        return rows;
    }

    private ChainProgress.State stateOf(ChainSteps.Row row) {
        return switch (row.status()) {
            case "pending" -> ChainProgress.State.PENDING;
            case "starting", "waiting" -> ChainProgress.State.ACTIVE;
            case "succeeded" -> ChainProgress.State.SUCCEEDED;
            case "skipped" -> ChainProgress.State.SKIPPED;
            case "started", "reused" ->
                parts.runs()
                        .find(row.runId())
                        .map(r -> ChainProgress.State.of(r.status()))
                        .orElse(ChainProgress.State.FAILED);
            default -> ChainProgress.State.FAILED;
        };
    }

    /** A running chain keeps going on its last valid definition while its file is broken for a moment. */
    private Optional<WorkflowDefinition> definition(String id) {
        Optional<WorkflowDefinition> current = parts.catalog().current().find(id);
        return current.isPresent() ? current : parts.catalog().lastKnownGood(id);
    }

    private void line(long runId, String text) {
        try (OutputStream out = parts.logs().append(runId)) {
            for (String one : text.split("\n")) {
                PlaybookRunner.line(out, one);
            }
        } catch (IOException e) {
            log.warn("run {}: cannot write log: {}", runId, e.getMessage());
        }
    }

    private Instant now() {
        return parts.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        advancing.shutdown();
        try {
            advancing.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
