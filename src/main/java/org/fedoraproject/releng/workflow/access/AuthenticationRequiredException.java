package org.fedoraproject.releng.workflow.access;

import org.fedoraproject.releng.workflow.EngineException;

/** The action needs an identity and the caller gave none (or one that did not check out). */
public class AuthenticationRequiredException extends EngineException {

    private static final long serialVersionUID = 1L;

    public AuthenticationRequiredException(String message) {
        super(message);
    }
}
