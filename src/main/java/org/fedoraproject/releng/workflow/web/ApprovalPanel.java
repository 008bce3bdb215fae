package org.fedoraproject.releng.workflow.web;

import org.fedoraproject.releng.workflow.approval.Approval;

/**
 * The run page's approval section: what the run needs and what was decided; {@code waiting}
 * whether it still waits; {@code whyNot} why the viewer may not decide it (null: they may).
 */
public record ApprovalPanel(Approval approval, boolean waiting, String whyNot) {

    public boolean mayDecide() {
        return waiting && whyNot == null;
    }
}
