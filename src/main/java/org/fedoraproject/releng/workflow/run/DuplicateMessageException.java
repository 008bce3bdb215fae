package org.fedoraproject.releng.workflow.run;

/** The workflow already has a run started by a message with this id. */
public class DuplicateMessageException extends RunSkippedException {

    public DuplicateMessageException(String message) {
        super(message);
    }
}
