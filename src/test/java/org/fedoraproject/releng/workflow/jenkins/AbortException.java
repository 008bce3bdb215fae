package org.fedoraproject.releng.workflow.jenkins;

/** What Jenkins' {@code error} step and a failed {@code httpRequest} throw (hudson.AbortException). */
public final class AbortException extends RuntimeException {
    public AbortException(String message) {
        super(message);
    }
}
