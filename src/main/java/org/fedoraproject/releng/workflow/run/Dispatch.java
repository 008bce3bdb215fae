package org.fedoraproject.releng.workflow.run;

/** Hands queued runs to the node that will execute them; the edge is db-scheduler. */
public interface Dispatch {

    /** The run is queued and should start as soon as a worker and its workflow allow. */
    void dispatch(long runId);

    /**
     * As {@link #dispatch(long)}, for a run just queued on this node: it may start here at once,
     * without being read again, when a worker is free.
     */
    default void dispatch(Run queued) {
        dispatch(queued.id());
    }

    /** A run that waits for its workflow's concurrency limit should look again now. */
    void wake(long runId);

    /** The run will not execute (it was cancelled while queued). */
    void forget(long runId);
}
