package org.fedoraproject.releng.workflow.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.fedoraproject.releng.workflow.config.Durations;

/**
 * The rules for runs a bus message starts: one run per message and workflow (a message seen
 * twice, by two nodes or after a broker redelivery, starts nothing the second time), and no
 * message-caused run sooner than {@code throttle} after the workflow's previous one.
 */
record MessageAdmission(TriggerMessage message, Duration throttle) implements Admission {

    @Override
    public void admit(RunRepository.NewRun run, View view) {
        if (view.hasMessage(run.workflowId(), message.id())) {
            throw new DuplicateMessageException(
                    "workflow `" + run.workflowId() + "` already has a run for message " + message.id());
        }
        if (throttle == null || throttle.isZero()) {
            return;
        }
        Optional<Instant> last = view.lastMessageRunAt(run.workflowId());
        if (last.isPresent() && last.get().plus(throttle).isAfter(run.at())) {
            throw new RunThrottledException("workflow `" + run.workflowId() + "` had a message-caused run at "
                    + last.get() + ", less than its throttle of " + Durations.format(throttle) + " ago");
        }
    }
}
