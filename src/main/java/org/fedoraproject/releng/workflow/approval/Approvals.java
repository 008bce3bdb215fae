package org.fedoraproject.releng.workflow.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.fedoraproject.releng.workflow.run.Announcement;

/**
 * Where approvals live. {@link #decide} is the one step that serializes decisions about a run: it
 * checks, records and settles in one transaction, holding the approval's row, so that two people
 * deciding at once take turns and a run is settled (approved, denied, timed out) exactly once.
 */
public interface Approvals {

    /**
     * Records what a just-created waiting run (or a gate) needs, with the announcements of the
     * request; a gate already open is left as it is.
     */
    void open(Approval approval, List<Announcement> announcements);

    Optional<Approval> find(Approval.Key key);

    /** A run's own approval. */
    default Optional<Approval> find(long runId) {
        return find(Approval.Key.of(runId));
    }

    /** The gates of a chain run that were opened, decided or not. */
    List<Approval> gates(long chainRunId);

    /** Open approvals of runs still waiting, oldest first. */
    List<Approval> open();

    /**
     * Records {@code decision} if the run is still waiting and open, and {@code decision.by()} has
     * not decided it yet; settles it when it was a denial, a timeout or the last approval needed.
     * {@code announce} builds the messages from the approval as it becomes.
     *
     * @throws org.fedoraproject.releng.workflow.run.IllegalTransitionException when it is not
     *     waiting any more or this person already decided
     */
    Approval decide(Approval.Key key, Decision decision, Function<Approval, List<Announcement>> announce);

    /** Open approvals whose deadline is at or before {@code now}. */
    List<Approval.Key> expired(Instant now);

    /** Runs whose approval is settled but which are still waiting (the engine stopped in between). */
    List<Approval> settledButWaiting();

    /** Waiting runs with no approval recorded, queued before {@code before} (the engine stopped in between). */
    List<Long> waitingWithoutApproval(Instant before);
}
