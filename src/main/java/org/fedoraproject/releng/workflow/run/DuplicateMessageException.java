package org.fedoraproject.releng.workflow.run;

/** The workflow already has a run started by a message with this id. */
public class DuplicateMessageException extends RunSkippedException {

    private static final long serialVersionUID = 1L;

    public DuplicateMessageException(String message) {
        super(message);
    }
}
