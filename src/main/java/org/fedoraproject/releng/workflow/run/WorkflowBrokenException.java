package org.fedoraproject.releng.workflow.run;

import org.fedoraproject.releng.workflow.EngineException;

/** A run was asked of a workflow whose definition does not load. */
public class WorkflowBrokenException extends EngineException {

    private static final long serialVersionUID = 1L;

    public WorkflowBrokenException(String message) {
        super(message);
    }
}
