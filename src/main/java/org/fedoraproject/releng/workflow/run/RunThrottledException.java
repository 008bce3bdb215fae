package org.fedoraproject.releng.workflow.run;

/** The workflow's previous message-caused run was queued less than its trigger's throttle ago. */
public class RunThrottledException extends RunSkippedException {

    public RunThrottledException(String message) {
        super(message);
    }
}
