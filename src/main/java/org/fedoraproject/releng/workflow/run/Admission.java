package org.fedoraproject.releng.workflow.run;

import java.time.Instant;
import java.util.Optional;

/**
 * A rule that decides whether a new run may be stored. The repository calls it inside the
 * transaction that stores the run, serialized with every other creation for the same workflow
 * (on all nodes), so what it reads cannot change before the run is stored.
 */
public interface Admission {

    /** Throws a domain exception (a {@link RuntimeException}) to refuse; the run is then not stored. */
    void admit(RunRepository.NewRun run, View view);

    /** What an admission may read, as of the locked transaction. */
    interface View {
        /** When the workflow's newest message-caused run was queued, if it has one. */
        Optional<Instant> lastMessageRunAt(String workflowId);

        /** Whether a run of the workflow already keeps a message with this id. */
        boolean hasMessage(String workflowId, String messageId);
    }

    Admission ANY = (run, view) -> {};
}
