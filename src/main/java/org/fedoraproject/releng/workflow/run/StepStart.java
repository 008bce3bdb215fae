package org.fedoraproject.releng.workflow.run;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.catalog.ApprovalRule;
import org.fedoraproject.releng.workflow.lock.LockNames;

/**
 * What a chain adds when it starts a step's run: the step's {@code locks} (held besides the
 * workflow's own), the step's {@code approval} rule (the chain's: its {@code unless} checked against
 * the chain's cause {@code chainCause} and starter {@code chainStarter}, null for none, and decided
 * by the holders of {@code approve} on {@code chainWorkflow}), and {@code queued}, told of the run
 * once it is stored and before it can start or wait.
 */
public record StepStart(
        List<String> locks,
        Optional<ApprovalRule> approval,
        String chainWorkflow,
        String chainCause,
        Principal chainStarter,
        Consumer<Run> queued) {

    /** Nothing added: a run started on its own. */
    static final StepStart NONE = new StepStart(List.of(), Optional.empty(), null, null, null, run -> {});

    public StepStart {
        locks = List.copyOf(locks);
        for (String name : locks) {
            if (!LockNames.isValid(name)) {
                // the catalog refuses such a step, so this is a caller's bug
                throw new IllegalArgumentException(LockNames.problem(name));
            }
        }
    }
}
