package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.catalog.ApprovalRule;
import org.fedoraproject.releng.workflow.catalog.BrokenWorkflow;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.ConcurrencyPolicy;
import org.fedoraproject.releng.workflow.catalog.InvalidParametersException;
import org.fedoraproject.releng.workflow.catalog.LaunchOptionRules;
import org.fedoraproject.releng.workflow.catalog.ParameterRules;
import org.fedoraproject.releng.workflow.catalog.ResolvedParameters;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What callers (HTTP, triggers, CLI) may do with runs: start one, cancel one, look them up. */
public final class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    private final CatalogService catalog;
    private final RunRepository runs;
    private final RunLifecycle lifecycle;
    private final SecretSealer sealer;
    private final Dispatch dispatch;
    private final RunExecutor executor;
    private ApprovalGate approvals = ApprovalGate.NONE;

    public RunService(
            CatalogService catalog,
            RunRepository runs,
            RunLifecycle lifecycle,
            SecretSealer sealer,
            Dispatch dispatch,
            RunExecutor executor) {
        this.catalog = catalog;
        this.runs = runs;
        this.lifecycle = lifecycle;
        this.sealer = sealer;
        this.dispatch = dispatch;
        this.executor = executor;
    }

    /** Where runs that need approval go (see {@link ApprovalGate}); set once, before any trigger. */
    public RunService withApprovals(ApprovalGate gate) {
        this.approvals = gate;
        return this;
    }

    public WorkflowDefinition workflow(String id) {
        Optional<WorkflowDefinition> workflow = catalog.current().find(id);
        if (workflow.isPresent()) {
            return workflow.get();
        }
        Optional<BrokenWorkflow> broken = catalog.current().findBroken(id);
        if (broken.isPresent()) {
            throw new WorkflowBrokenException("workflow `" + id + "` cannot run, its definition is broken: "
                    + String.join("; ", broken.get().errors()));
        }
        throw new NotFoundException("no workflow `" + id + "` in the catalog");
    }

    /**
     * Checks the parameters, applies the workflow's concurrency policy and queues the run.
     * {@code actor} is who asked (for the history), which for a schedule is the engine.
     */
    public Run trigger(String workflowId, ObjectNode parameters, Cause cause, String actor) {
        return trigger(workflowId, parameters, null, cause, actor);
    }

    /**
     * As above, with launch options ({@code {"check": true, "limit": …}}, null for none), checked
     * against what the workflow allows together with the parameters, so one 400 names every problem.
     */
    public Run trigger(String workflowId, ObjectNode parameters, JsonNode options, Cause cause, String actor) {
        return queue(
                workflowId, parameters, options, cause, actor, null, Optional.empty(), Admission.ANY, StepStart.NONE);
    }

    /**
     * As above, started by {@code starter} (a person, token or account): its groups decide
     * whether the workflow's {@code approval.unless} waives approval, and its name who may not approve.
     */
    public Run trigger(String workflowId, ObjectNode parameters, JsonNode options, Cause cause, Principal starter) {
        return queue(
                workflowId,
                parameters,
                options,
                cause,
                starter.name(),
                starter,
                Optional.empty(),
                Admission.ANY,
                StepStart.NONE);
    }

    /**
     * As above, for a run that must also hold {@code extraLocks} besides its workflow's (a chain
     * step's {@code locks}); a name that is not a lock name is a caller's bug.
     */
    public Run trigger(
            String workflowId,
            ObjectNode parameters,
            JsonNode options,
            List<String> extraLocks,
            Cause cause,
            String actor) {
        return queue(
                workflowId,
                parameters,
                options,
                cause,
                actor,
                null,
                Optional.empty(),
                Admission.ANY,
                new StepStart(extraLocks, Optional.empty(), null, null, null, run -> {}));
    }

    /**
     * As above; {@code queued} is told of the run after it is stored and before it can start
     * (a resumed chain records what it resumes there).
     */
    public Run trigger(
            String workflowId,
            ObjectNode parameters,
            JsonNode options,
            Cause cause,
            String actor,
            java.util.function.Consumer<Run> queued) {
        return queue(
                workflowId,
                parameters,
                options,
                cause,
                actor,
                null,
                Optional.empty(),
                Admission.ANY,
                new StepStart(List.of(), Optional.empty(), null, null, null, queued));
    }

    /** A chain's step run: with the step's locks and approval rule (see {@link StepStart}). */
    public Run trigger(String workflowId, ObjectNode parameters, Cause cause, String actor, StepStart step) {
        return queue(workflowId, parameters, null, cause, actor, null, Optional.empty(), Admission.ANY, step);
    }

    /** What runs orchestrating others (chains) do and show; see {@link Orchestrator}. */
    public Optional<Orchestrator> orchestrator() {
        return executor.orchestratorIfAny();
    }

    /**
     * Starts a run because a bus message matched one of the workflow's triggers: with the
     * parameters' defaults, cause {@code message}, and the message kept with the run for the
     * playbook ({@code releng_message}). The message rules ({@link RunLifecycle#messageRules}) are
     * checked where the run is stored, serialized with the workflow's other new runs on all nodes.
     *
     * @throws DuplicateMessageException when this message already started a run of the workflow
     * @throws RunThrottledException when the previous message-caused run is less than {@code throttle} old
     * @throws RunSkippedException when the concurrency policy is skip and the workflow is busy
     */
    public Run triggerByMessage(String workflowId, TriggerMessage message, java.time.Duration throttle) {
        return queue(
                workflowId,
                null,
                null,
                new Cause("message", null, message.topic() + " " + message.id()),
                message.bus(),
                null,
                Optional.of(message),
                RunLifecycle.messageRules(message, throttle),
                StepStart.NONE);
    }

    /** The message that started a run, if one did. */
    public Optional<TriggerMessage> message(long runId) {
        return runs.message(runId);
    }

    private Run queue(
            String workflowId,
            ObjectNode parameters,
            JsonNode givenOptions,
            Cause cause,
            String actor,
            Principal starter,
            Optional<TriggerMessage> message,
            Admission admission,
            StepStart step) {
        WorkflowDefinition workflow = workflow(workflowId);
        Map<String, String> errors = new TreeMap<>();
        LaunchOptions options = LaunchOptionRules.resolve(workflow.options(), givenOptions, errors);
        ResolvedParameters resolved;
        try {
            resolved = ParameterRules.resolve(workflow, parameters);
        } catch (InvalidParametersException e) {
            errors.putAll(e.fields());
            throw new InvalidParametersException(errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidParametersException(errors);
        }
        // only the skip and cancel-older policies look at the runs already there
        List<Run> active =
                workflow.concurrencyPolicy() == ConcurrencyPolicy.QUEUE ? List.of() : runs.active(workflowId);
        switch (workflow.concurrencyPolicy()) {
            case SKIP -> {
                if (active.size() >= workflow.concurrencyLimit()) {
                    throw new RunSkippedException("workflow `" + workflowId + "` already has " + active.size()
                            + " active run(s) and its concurrency policy is skip; "
                            + active.get(0).displayName() + " is "
                            + active.get(0).status().id());
                }
            }
            case QUEUE, CANCEL_OLDER -> {}
        }
        String sealed = resolved.secrets().isEmpty() ? null : sealer.seal(resolved.secrets());
        Principal who = starter != null || cause.user() == null
                ? starter
                : new Principal(Principal.Kind.USER, cause.user(), java.util.Set.of());
        Optional<ApprovalRule> own = workflow.approval().filter(rule -> rule.requiredFor(cause.type(), who));
        // a step's rule is its chain's: its unless is judged by the chain's cause, its chain's approvers decide
        Principal chainStarter = step.chainStarter() == null ? who : step.chainStarter();
        Optional<ApprovalRule> chains =
                step.approval().filter(rule -> rule.requiredFor(step.chainCause(), chainStarter));
        Optional<ApprovalRule> approval =
                chains.isPresent() ? Optional.of(own.map(chains.get()::stricter).orElse(chains.get())) : own;
        String decidedOn = chains.isPresent() ? step.chainWorkflow() : null;
        List<String> locks = new java.util.ArrayList<>(workflow.locks());
        step.locks().stream().filter(name -> !locks.contains(name)).forEach(locks::add);
        Run run = lifecycle.enqueue(
                workflowId,
                cause,
                resolved.masked(),
                options,
                locks,
                sealed,
                actor,
                message,
                admission,
                approval.isPresent());
        // before it can start or wait: what is told here (a resumed chain's link) must be there by then
        step.queued().accept(run);
        if (approval.isPresent()) {
            // not dispatched: it joins the queue when approved; its secrets stay sealed until then
            approvals.open(run, approval.get(), who, decidedOn);
            log.info("{} waits for approval ({})", run.displayName(), cause.describe());
            return run;
        }
        log.info("queued {} ({})", run.displayName(), cause.describe());
        if (workflow.concurrencyPolicy() == ConcurrencyPolicy.CANCEL_OLDER) {
            for (Run older : active) {
                cancel(older.id(), "engine", "superseded by " + run.displayName() + " (policy cancel-older)");
            }
        }
        dispatch.dispatch(run);
        return run;
    }

    /**
     * Starts a new run of the same workflow with the same parameters. Secret values were never
     * kept, so they must be given again in {@code secrets}; nothing else may be changed.
     */
    public Run relaunch(long runId, ObjectNode secrets, String actor) {
        return relaunch(runId, secrets, actor, null);
    }

    /** As {@link #relaunch(long, ObjectNode, String)}, with the reason the person gave (or null). */
    public Run relaunch(long runId, ObjectNode secrets, String actor, String reason) {
        return relaunch(runId, secrets, new Principal(Principal.Kind.USER, actor, java.util.Set.of()), reason);
    }

    /** As above, relaunched by {@code starter} (whose groups may waive an approval). */
    public Run relaunch(long runId, ObjectNode secrets, Principal starter, String reason) {
        String actor = starter.name();
        Run original = find(runId);
        WorkflowDefinition workflow = workflow(original.workflowId());
        ObjectNode parameters = original.parameters().deepCopy();
        java.util.Map<String, String> errors = new java.util.TreeMap<>();
        for (var p : workflow.parameters()) {
            if (p.isSecret()) {
                parameters.remove(p.name());
            }
        }
        if (secrets != null) {
            secrets.fields().forEachRemaining(e -> {
                boolean secret =
                        workflow.parameter(e.getKey()).map(p -> p.isSecret()).orElse(false);
                if (!secret) {
                    errors.put(e.getKey(), "a relaunch repeats the original parameters; only secrets are given again");
                } else {
                    parameters.set(e.getKey(), e.getValue());
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new org.fedoraproject.releng.workflow.catalog.InvalidParametersException(errors);
        }
        // parameters the workflow no longer has are dropped rather than refused: the definition moved on
        java.util.List<String> gone = new java.util.ArrayList<>();
        parameters.fieldNames().forEachRemaining(name -> {
            if (workflow.parameter(name).isEmpty()) {
                gone.add(name);
            }
        });
        parameters.remove(gone);
        // the same options too (a dry run relaunched stays a dry run), checked against today's definition
        return trigger(
                original.workflowId(),
                parameters,
                original.options().equals(LaunchOptions.NONE)
                        ? null
                        : original.options().toJson(),
                new Cause("relaunch", actor, "relaunch of " + original.label()).because(reason),
                starter);
    }

    /**
     * Cancels a queued run at once; asks a running one to stop (its status becomes cancelled when
     * its processes are gone). Cancelling a finished run is an error.
     */
    public Run cancel(long runId, String actor, String reason) {
        Run run = find(runId);
        if (run.status() == RunStatus.RUNNING && executor.orchestrates(runId)) {
            return executor.orchestrator().cancel(run, actor, reason);
        }
        if (run.status() != RunStatus.RUNNING) {
            // refused here when the run is over
            Optional<Run> cancelled = lifecycle.cancel(run, actor, reason);
            if (cancelled.isPresent()) {
                dispatch.forget(runId);
                return cancelled.get();
            }
            run = find(runId);
        }
        if (run.status() == RunStatus.RUNNING) {
            lifecycle.requestCancel(runId);
            executor.stop(runId, actor, reason);
            return find(runId);
        }
        // it ended meanwhile: refused with the status it ended in
        return lifecycle.cancel(run, actor, reason).orElseThrow();
    }

    public Run find(long runId) {
        return runs.find(runId).orElseThrow(() -> new NotFoundException("no run " + runId));
    }

    public Run find(String workflowId, long number) {
        return runs.findByNumber(workflowId, number)
                .orElseThrow(() -> new NotFoundException("no run " + workflowId + " #" + number));
    }

    public List<Run> list(RunQuery query) {
        return runs.list(query);
    }

    public List<RunTransition> transitions(long runId) {
        return runs.transitions(runId);
    }

    /** For a queued run: the lock it waits for and the run in its way, if a lock holds it back. */
    public Optional<LockWait> waitingFor(Run run) {
        return run.status() == RunStatus.QUEUED ? runs.waitingFor(run.id()) : Optional.empty();
    }

    /** See {@link RunExecutor#onFinish}: runs executed on this node that reached their final status. */
    public void onFinish(java.util.function.LongConsumer listener) {
        executor.onFinish(listener);
    }

    /** Every status change committed on this node (queued, started, approved, finished…), once committed. */
    public void onTransition(RunObserver observer) {
        lifecycle.observe(observer);
    }

    /** The newest run of each workflow, for the dashboard and the catalog listing. */
    public java.util.Map<String, Run> latestByWorkflow() {
        return runs.latestByWorkflow();
    }
}
