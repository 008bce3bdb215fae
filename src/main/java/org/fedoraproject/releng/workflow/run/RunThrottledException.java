package org.fedoraproject.releng.workflow.run;

/** The workflow's previous message-caused run was queued less than its trigger's throttle ago. */
public class RunThrottledException extends RunSkippedException {

    private static final long serialVersionUID = 1L;

    public RunThrottledException(String message) {
        super(message);
    }
}
