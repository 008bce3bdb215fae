package org.fedoraproject.releng.workflow.web;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.AccessPolicy;
import org.fedoraproject.releng.workflow.access.Permission;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;

/**
 * Read access shared by pages and API: what a principal may see is decided here only. Something
 * the principal may not read is reported as not found, so restricted workflows do not even show
 * that they exist.
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

    WorkflowDefinition workflow(Principal principal, String id) {
        WorkflowDefinition w = runs.workflow(id);
        if (!policy.canSee(principal, w)) {
            throw new NotFoundException("no workflow `" + id + "` in the catalog");
        }
        return w;
    }

    Optional<WorkflowDefinition> definitionOf(Run run) {
        return catalog.current().find(run.workflowId());
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

    /**
     * Runs of a workflow that has left the catalog keep no visibility of their own, so only
     * principals with global read beyond anonymous see them.
     */
    boolean canSee(Principal principal, String workflowId) {
        Optional<WorkflowDefinition> w = catalog.current().find(workflowId);
        if (w.isPresent()) {
            return policy.canSee(principal, w.get());
        }
        return !principal.isAnonymous() && policy.allows(principal, Permission.READ, null);
    }

    /** The workflows whose runs the principal may list, or null for every run. */
    Set<String> visibleWorkflows(Principal principal) {
        boolean all = !principal.isAnonymous() && policy.allows(principal, Permission.READ, null);
        Set<String> visible = new LinkedHashSet<>();
        for (WorkflowDefinition w : catalog.current().workflows()) {
            if (policy.canSee(principal, w)) {
                visible.add(w.id());
            } else {
                all = false;
            }
        }
        return all ? null : visible;
    }
}
