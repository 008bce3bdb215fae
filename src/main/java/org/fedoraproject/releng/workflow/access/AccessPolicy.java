package org.fedoraproject.releng.workflow.access;

import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;

/**
 * Decides what a principal may do with a workflow (or globally, when the workflow is null).
 * Every route asks through {@link #require}, so one implementation change reaches every page.
 */
public interface AccessPolicy {

    boolean allows(Principal principal, Permission permission, WorkflowDefinition workflow);

    default void require(Principal principal, Permission permission, WorkflowDefinition workflow) {
        if (allows(principal, permission, workflow)) {
            return;
        }
        String what = "permission `" + permission.id() + "`" + (workflow == null ? "" : " on workflow `" + workflow.id() + "`");
        if (principal.isAnonymous()) {
            throw new AuthenticationRequiredException(what + " is required: log in or send Authorization: Bearer <token>");
        }
        throw new AccessDeniedException(what + " is required; " + principal.name() + " does not have it");
    }

    /** Restricted workflows are invisible to those who may not read them, in lists as on their own. */
    default boolean canSee(Principal principal, WorkflowDefinition workflow) {
        return allows(principal, Permission.READ, workflow);
    }
}
