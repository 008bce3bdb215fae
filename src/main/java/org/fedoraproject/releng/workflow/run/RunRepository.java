package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.ansible.ProcessGroup;

/** Where runs live. Every status change goes through {@link #transition} or {@link #claim}. */
public interface RunRepository {

    /** A run about to be queued; {@code sealedSecrets} is the encrypted secret values or null. */
    record NewRun(String workflowId, Cause cause, ObjectNode parameters, String sealedSecrets, Instant at, String actor) {}

    /** A status change; fields that do not apply to {@code to} are ignored. */
    record Change(long runId, RunStatus from, RunStatus to, Instant at, String actor, String reason, Integer exitCode) {}

    /** Inserts a queued run with the next number of its workflow. */
    Run create(NewRun run);

    /**
     * As {@link #create}, keeping the message that caused the run with it, all in one transaction
     * serialized per workflow.
     *
     * @throws DuplicateMessageException when a run of this workflow already has a message with this id
     * @throws RunThrottledException when the workflow's newest message-caused run was queued less
     *     than {@code throttle} before {@code run.at()}
     */
    Run createForMessage(NewRun run, TriggerMessage message, java.time.Duration throttle);

    /** The message that started the run, if a message did. */
    Optional<TriggerMessage> message(long runId);

    Optional<Run> find(long id);

    Optional<Run> findByNumber(String workflowId, long number);

    List<Run> list(RunQuery query);

    /** The newest run of each workflow. */
    Map<String, Run> latestByWorkflow();

    /** Applies the change if the run is still in {@code from}; empty when it was not (someone else won). */
    Optional<Run> transition(Change change);

    /**
     * Moves a queued run to running on {@code node} if its workflow has fewer than {@code limit}
     * running runs; the check and the change are one transaction, serialized per workflow.
     */
    Optional<Run> claim(long runId, int limit, String node, Instant at);

    /** Queued runs of a workflow, oldest first. */
    List<Run> queued(String workflowId);

    /** Runs still running (or queued, when asked) of a workflow, oldest first. */
    List<Run> active(String workflowId);

    List<Run> runningOn(String node);

    void requestCancel(long runId);

    /** Notes the process group running the run's playbook; ignored unless the run is running on {@code node}. */
    void recordProcessGroup(long runId, String node, ProcessGroup group);

    /** The process group last recorded for the run, if any. */
    Optional<ProcessGroup> processGroup(long runId);

    Optional<String> sealedSecrets(long runId);

    void forgetSecrets(long runId);

    List<RunTransition> transitions(long runId);
}
