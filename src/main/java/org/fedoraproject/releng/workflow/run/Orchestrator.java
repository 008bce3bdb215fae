package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;

/**
 * Runs that run no playbook but start other runs (chains). The executor claims such a run like any
 * other and hands it over here at once, so it holds no worker slot while its steps run; its node
 * dying does not lose it, since any node can advance it.
 */
public interface Orchestrator {

    /** True when the run is one this orchestrates (a chain run that has begun). */
    boolean orchestrates(long runId);

    /** The run was just claimed (it is running): set its steps going and return at once. */
    void begin(Run run, WorkflowDefinition workflow);

    /** Cancels a running chain run: its queued and running steps are cancelled, no more start. */
    Run cancel(Run run, String actor, String reason);

    /**
     * A new run of a failed chain that re-runs its failed steps and what follows them, keeping the
     * runs (and outputs) of the steps that succeeded. Secrets are given again, as for a relaunch.
     */
    Run resume(long runId, ObjectNode secrets, String actor);

    /** The steps of a chain run, in the chain's order; empty for any other run. */
    List<Step> steps(long runId);

    /** The chain run a step run belongs to. */
    Optional<Run> chainOf(long runId);

    /** The failed chain run this one resumes, and the run that resumed this one. */
    Optional<Run> resumes(long runId);

    Optional<Run> resumedBy(long runId);

    /**
     * One step as it stands: {@code status} is its run's status once it has one, else pending,
     * skipped, failed (it could not start: {@code error}) or cancelled. {@code after} and {@code
     * when} as the chain defines them (empty and "success" for a step the chain no longer has).
     * {@code gate}: an approval gate, which runs nothing (no workflow, no run) and is shown to
     * whoever may read the chain run.
     */
    record Step(
            String id,
            String workflow,
            String status,
            Optional<Run> run,
            String error,
            List<String> after,
            String when,
            boolean gate) {}
}
