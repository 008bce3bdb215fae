package org.fedoraproject.releng.workflow;

/** Base of the engine's few domain exceptions; messages are written for the person who must act. */
public class EngineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
