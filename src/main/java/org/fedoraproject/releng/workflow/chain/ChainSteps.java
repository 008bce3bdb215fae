package org.fedoraproject.releng.workflow.chain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where each chain run's steps stand, kept in the database so that any node can advance a chain. */
interface ChainSteps {

    /** One step row; {@code runId} is null until the step has a run. */
    record Row(String stepId, String status, Long runId, String error) {}

    /** Marks the run as a chain run (if not yet), naming the run it resumes (or null). */
    void markChain(long runId, String chainId, Long resumesRunId);

    boolean isChain(long runId);

    /** Adds a pending row for each step that has none yet. */
    void seed(long chainRunId, List<String> stepIds, Instant at);

    /** A resumed chain keeps the run of a step that succeeded before. */
    void reuse(long chainRunId, String stepId, long runId, Instant at);

    List<Row> rows(long chainRunId);

    /** Moves a step from one status to another; false when it was not in {@code from} (another node was first). */
    boolean move(long chainRunId, String stepId, String from, String to, String error, Instant at);

    void started(long chainRunId, String stepId, long runId, Instant at);

    /**
     * Steps claimed ({@code starting}) before {@code before} that still have no run go back to
     * {@code pending}; the ids of those moved.
     */
    List<String> releaseStaleClaims(long chainRunId, Instant before, Instant at);

    /** The chain run whose step {@code runId} is (not counting chains that reused it). */
    Optional<Long> chainOf(long runId);

    /** Chain runs still running, for the sweep. */
    List<Long> runningChains();

    Optional<Long> resumes(long runId);

    Optional<Long> resumedBy(long runId);
}
