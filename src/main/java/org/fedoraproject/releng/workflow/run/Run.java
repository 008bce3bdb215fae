package org.fedoraproject.releng.workflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;

/**
 * One run as stored: {@code parameters} never hold a secret's value, only {@code "****"}.
 * {@code number} counts per workflow, as Jenkins' build numbers do. {@code options}: the launch
 * options it runs with ({@link LaunchOptions#NONE} when none were asked).
 */
public record Run(
        long id,
        String workflowId,
        long number,
        RunStatus status,
        Cause cause,
        ObjectNode parameters,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        String node,
        boolean cancelRequested,
        LaunchOptions options) {

    public Optional<Duration> duration() {
        if (startedAt == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt));
    }

    /** How Jenkins people name a run: {@code compose-nightly #12}. */
    public String displayName() {
        return workflowId + " #" + number;
    }

    /** The name with the global id, for messages that must leave no doubt: {@code hello #2 (run 4)}. */
    public String label() {
        return displayName() + " (run " + id + ")";
    }
}
