package org.fedoraproject.releng.workflow.access;

import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;

/**
 * The policy before login and the permission matrix exist: anyone reads public workflows, any
 * authenticated caller reads restricted ones, and configured service accounts may do everything.
 */
public final class ServiceAccountPolicy implements AccessPolicy {

    @Override
    public boolean allows(Principal principal, Permission permission, WorkflowDefinition workflow) {
        if (principal.kind() == Principal.Kind.SERVICE_ACCOUNT) {
            return true;
        }
        if (permission != Permission.READ) {
            return false;
        }
        return workflow == null || !workflow.isRestricted() || !principal.isAnonymous();
    }
}
