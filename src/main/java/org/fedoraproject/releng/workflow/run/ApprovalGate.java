package org.fedoraproject.releng.workflow.run;

import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.catalog.ApprovalRule;

/**
 * Where a run that needs approval goes once it is stored as {@code waiting_approval}: the
 * approvals feature records what it waits for (count, deadline, who started it) and asks for it.
 */
public interface ApprovalGate {

    /** {@code starter}: who started the run (null for schedules and messages). */
    void open(Run run, ApprovalRule rule, Principal starter);

    /** No approvals wired: a run that would need one is refused rather than started unapproved. */
    ApprovalGate NONE = (run, rule, starter) -> {
        throw new IllegalStateException("approvals are not wired: " + run.label() + " cannot wait for approval");
    };
}
