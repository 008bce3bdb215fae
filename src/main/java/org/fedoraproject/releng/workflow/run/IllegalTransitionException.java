package org.fedoraproject.releng.workflow.run;

import org.fedoraproject.releng.workflow.EngineException;

/** A run was asked to change status in a way the lifecycle does not allow (e.g. cancel a finished run). */
public class IllegalTransitionException extends EngineException {

    private static final long serialVersionUID = 1L;

    public IllegalTransitionException(String message) {
        super(message);
    }
}
