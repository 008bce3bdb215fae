package org.fedoraproject.releng.workflow.run;

import org.fedoraproject.releng.workflow.EngineException;

/** The workflow's concurrency policy is {@code skip} and it is already at its limit. */
public class RunSkippedException extends EngineException {

    private static final long serialVersionUID = 1L;

    public RunSkippedException(String message) {
        super(message);
    }
}
