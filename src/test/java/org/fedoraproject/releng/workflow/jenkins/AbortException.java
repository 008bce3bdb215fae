package org.fedoraproject.releng.workflow.jenkins;

/** What Jenkins' {@code error} step and a failed {@code httpRequest} throw (hudson.AbortException). */
public final class AbortException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AbortException(String message) {
        super(message);
    }
}
