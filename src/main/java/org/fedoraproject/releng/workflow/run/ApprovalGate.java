package org.fedoraproject.releng.workflow.run;

import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.catalog.ApprovalRule;

/**
 * Where a run that needs approval goes once it is stored as {@code waiting_approval}: the
 * approvals feature records what it waits for (count, deadline, who started it) and asks for it.
 */
public interface ApprovalGate {

    /** {@code starter}: who started the run (null for schedules and messages). */
    default void open(Run run, ApprovalRule rule, Principal starter) {
        open(run, rule, starter, null);
    }

    /**
     * As above, decided by the holders of {@code approve} on workflow {@code decidedOn} (null: the
     * run's own), as a chain step's run is by its chain's approvers.
     */
    void open(Run run, ApprovalRule rule, Principal starter, String decidedOn);

    /** No approvals wired: a run that would need one is refused rather than started unapproved. */
    ApprovalGate NONE = (run, rule, starter, decidedOn) -> {
        throw new IllegalStateException("approvals are not wired: " + run.label() + " cannot wait for approval");
    };
}
