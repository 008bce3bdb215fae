package org.fedoraproject.releng.workflow.run;

/**
 * Told of every status change once it has committed, so that what it records (metrics) never
 * counts a change that rolled back. Called on the thread that made the change: be quick, never throw.
 */
public interface RunObserver {
    void transitioned(Run run);
}
