package org.fedoraproject.releng.workflow.access;

import java.util.Collection;
import java.util.List;

/**
 * Decides what a principal may do with a workflow (or globally, when the workflow is null), from
 * the configured matrix plus the workflow's own entries. Every route asks through here.
 */
public final class AccessPolicy {

    private final PermissionMatrix matrix;

    public AccessPolicy(PermissionMatrix matrix) {
        this.matrix = matrix;
    }

    public boolean allows(Principal principal, Permission permission, Guarded workflow) {
        return matrix.allows(principal, permission, workflow == null ? null : workflow.access());
    }

    /** Throws {@link AccessDeniedException} naming the missing permission (401 for anonymous callers). */
    public void require(Principal principal, Permission permission, Guarded workflow) {
        matrix.require(principal, permission, workflow == null ? null : workflow.access());
    }

    /** Restricted workflows are invisible to those who may not read them, in lists as on their own. */
    public boolean canSee(Principal principal, Guarded workflow) {
        return matrix.canRead(principal, workflow.access());
    }

    /**
     * For a workflow known by its access part only, such as one whose file is broken or gone
     * ({@code CatalogService.access}).
     */
    public boolean allows(Principal principal, Permission permission, WorkflowAccess workflow) {
        return matrix.allows(principal, permission, workflow);
    }

    public void require(Principal principal, Permission permission, WorkflowAccess workflow) {
        matrix.require(principal, permission, workflow);
    }

    public boolean canSee(Principal principal, WorkflowAccess workflow) {
        return matrix.canRead(principal, workflow);
    }

    public List<Grant> whoami(Principal principal, Collection<? extends Guarded> workflows) {
        return matrix.whoami(principal, workflows.stream().map(Guarded::access).toList());
    }
}
