package org.fedoraproject.releng.workflow.access;

import org.fedoraproject.releng.workflow.EngineException;

/** The caller is known but lacks a permission; the message names the one missing. */
public class AccessDeniedException extends EngineException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
