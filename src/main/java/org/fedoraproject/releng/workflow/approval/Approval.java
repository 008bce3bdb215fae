package org.fedoraproject.releng.workflow.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a waiting run needs and what was decided so far. {@code starter} and {@code starterKind}
 * (user, api_token, service_account, or engine for schedules and messages) say who started it:
 * never one of its approvers. {@code outcome} is empty while it is open.
 */
public record Approval(
        long runId,
        int required,
        Instant deadline,
        String starter,
        String starterKind,
        Instant requestedAt,
        Optional<Verdict> outcome,
        List<Decision> decisions) {

    public Approval {
        decisions = List.copyOf(decisions);
    }

    public long approvals() {
        return decisions.stream().filter(d -> d.verdict() == Verdict.APPROVED).count();
    }

    public boolean decidedBy(String name) {
        return decisions.stream().anyMatch(d -> d.by().equals(name));
    }

    /** Approvals still missing before the run may start. */
    public long remaining() {
        return Math.max(0, required - approvals());
    }
}
