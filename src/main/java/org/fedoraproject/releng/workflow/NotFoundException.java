package org.fedoraproject.releng.workflow;

/** Something named by the caller (a workflow id, a run id) does not exist, or is not theirs to see. */
public class NotFoundException extends EngineException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
