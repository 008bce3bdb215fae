package org.fedoraproject.releng.workflow.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.AccessPolicy;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.access.WorkflowAccess;
import org.fedoraproject.releng.workflow.catalog.BrokenWorkflow;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;

/**
 * Read access shared by pages and API: what a principal may see is decided here only. Something
 * the principal may not read is reported as not found, so restricted workflows do not even show
 * that they exist. Decisions use the definition in force ({@link CatalogService#access}), so a
 * broken or removed file hides its workflow's runs exactly as before, and a workflow without a
 * known definition counts as restricted.
 */
final class Reading {

    private final CatalogService catalog;
    private final RunService runs;
    private final AccessPolicy policy;

    Reading(CatalogService catalog, RunService runs, AccessPolicy policy) {
        this.catalog = catalog;
        this.runs = runs;
        this.policy = policy;
    }

    AccessPolicy policy() {
        return policy;
    }

    /** The valid definition; broken ones answer as {@code RunService.workflow} does, to those who may see them. */
    WorkflowDefinition workflow(Principal principal, String id) {
        if (!canSee(principal, id)) {
            throw new NotFoundException("no workflow `" + id + "` in the catalog");
        }
        return runs.workflow(id);
    }

    /** The definition in force for a run's workflow: current, or last known good. */
    Optional<WorkflowDefinition> definitionOf(Run run) {
        return catalog.lastKnownGood(run.workflowId());
    }

    /** What permission checks on a run (cancel) are decided against. */
    WorkflowAccess access(Run run) {
        return catalog.access(run.workflowId());
    }

    /** The workflow's broken definition, when it has no valid one and the principal may see it. */
    Optional<BrokenWorkflow> broken(Principal principal, String id) {
        if (catalog.current().find(id).isPresent() || !canSee(principal, id)) {
            return Optional.empty();
        }
        return catalog.current().findBroken(id);
    }

    /** As {@link #access(Run)}, for a workflow known by its id. */
    WorkflowAccess accessOf(String workflowId) {
        return catalog.access(workflowId);
    }

    /** Broken definitions whose id, file and errors the principal may see. */
    List<BrokenWorkflow> broken(Principal principal) {
        return catalog.current().broken().stream()
                .filter(b -> canSee(principal, b.id()))
                .toList();
    }

    Run run(Principal principal, long id) {
        Run run = runs.find(id);
        if (!canSee(principal, run.workflowId())) {
            throw new NotFoundException("no run " + id);
        }
        return run;
    }

    Run run(Principal principal, String workflowId, long number) {
        Run run = runs.find(workflowId, number);
        if (!canSee(principal, workflowId)) {
            throw new NotFoundException("no run " + workflowId + " #" + number);
        }
        return run;
    }

    boolean canSee(Principal principal, String workflowId) {
        return policy.canSee(principal, catalog.access(workflowId));
    }

    /** The workflows whose runs the principal may list, or null for every run. */
    Set<String> visibleWorkflows(Principal principal) {
        // a workflow nobody knows counts as restricted: who may read it may read every run
        boolean all = policy.canSee(principal, WorkflowAccess.restrictedWorkflow("(unknown)", List.of()));
        Set<String> visible = new LinkedHashSet<>();
        for (WorkflowDefinition w : catalog.lastKnownGood()) {
            if (policy.canSee(principal, w)) {
                visible.add(w.id());
            } else {
                all = false;
            }
        }
        return all ? null : visible;
    }
}
