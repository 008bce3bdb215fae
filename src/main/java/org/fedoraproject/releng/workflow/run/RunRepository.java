package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.ansible.ProcessGroup;

/**
 * Where runs live. It stores what {@link RunLifecycle} decides and answers queries; it holds no
 * rules of its own, except the locks that make a rule's check and its change one step.
 */
public interface RunRepository {

    /**
     * A run about to be queued; {@code sealedSecrets} is the encrypted secret values or null,
     * {@code reason} what its first transition records, {@code status} the one it starts in
     * ({@code queued}, or {@code waiting_approval}).
     */
    record NewRun(
            String workflowId,
            Cause cause,
            ObjectNode parameters,
            String sealedSecrets,
            Instant at,
            String actor,
            String reason,
            LaunchOptions options,
            RunStatus status) {

        /** A run that goes straight to the queue. */
        public NewRun(
                String workflowId,
                Cause cause,
                ObjectNode parameters,
                String sealedSecrets,
                Instant at,
                String actor,
                String reason,
                LaunchOptions options) {
            this(workflowId, cause, parameters, sealedSecrets, at, actor, reason, options, RunStatus.QUEUED);
        }

        public NewRun(
                String workflowId,
                Cause cause,
                ObjectNode parameters,
                String sealedSecrets,
                Instant at,
                String actor,
                String reason) {
            this(workflowId, cause, parameters, sealedSecrets, at, actor, reason, LaunchOptions.NONE);
        }
    }

    /**
     * A status change decided by the lifecycle: {@code after} is the run as it becomes (status,
     * times, exit code, node), {@code record} the history row, {@code wipeSecrets} whether the
     * sealed secret values go, {@code announcements} the outbox messages written with it.
     */
    record Change(Run after, RunTransition record, boolean wipeSecrets, List<Announcement> announcements) {
        public Change {
            announcements = List.copyOf(announcements);
        }

        public long runId() {
            return after.id();
        }

        public RunStatus from() {
            return record.from();
        }
    }

    /**
     * Inserts a queued (or waiting) run with the next number of its workflow, keeping {@code message} (the one
     * that caused it) with it. {@code admission} decides first, in the same transaction,
     * serialized with every other creation for the workflow; as a last guard, a message already
     * kept for the workflow refuses the run with {@link DuplicateMessageException}.
     */
    Run create(NewRun run, Optional<TriggerMessage> message, Admission admission);

    /** The message that started the run, if a message did. */
    Optional<TriggerMessage> message(long runId);

    Optional<Run> find(long id);

    Optional<Run> findByNumber(String workflowId, long number);

    List<Run> list(RunQuery query);

    /** The newest run of each workflow. */
    Map<String, Run> latestByWorkflow();

    /**
     * Stores the change, its history row and its announcements in one transaction if the run is
     * still in {@code change.from()}; empty when it was not (someone else won).
     */
    Optional<Run> transition(Change change);

    /**
     * As {@link #transition}, for a queued run that starts: only if its workflow has fewer than
     * {@code limit} running runs; the check and the change are one transaction, serialized per workflow.
     */
    Optional<Run> claim(Change change, int limit);

    /** Queued runs of a workflow, oldest first. */
    List<Run> queued(String workflowId);

    /** Runs still running (or queued, when asked) of a workflow, oldest first. */
    List<Run> active(String workflowId);

    List<Run> runningOn(String node);

    void requestCancel(long runId);

    /** Runs running on {@code node} that someone asked to stop (possibly through another node). */
    List<Long> cancelRequestedOn(String node);

    /** Notes the process group running the run's playbook; ignored unless the run is running on {@code node}. */
    void recordProcessGroup(long runId, String node, ProcessGroup group);

    /** The process group last recorded for the run, if any. */
    Optional<ProcessGroup> processGroup(long runId);

    Optional<String> sealedSecrets(long runId);

    void forgetSecrets(long runId);

    List<RunTransition> transitions(long runId);
}
