package org.fedoraproject.releng.workflow.approval;

import org.fedoraproject.releng.workflow.EngineException;

/** The caller may not decide this run; the message names the rule (no {@code approve}, own run). */
public final class ApprovalRefusedException extends EngineException {

    private static final long serialVersionUID = 1L;

    public ApprovalRefusedException(String message) {
        super(message);
    }
}
