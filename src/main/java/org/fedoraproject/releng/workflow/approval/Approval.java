package org.fedoraproject.releng.workflow.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a waiting run needs and what was decided so far. {@code starter} and {@code starterKind}
 * (user, api_token, service_account, or engine for schedules and messages) say who started it:
 * never one of its approvers. {@code outcome} is empty while it is open. {@code decidedOn}: the
 * workflow whose {@code approve} holders decide it, null for the run's own (a chain step's rule
 * is its chain's, so the chain's approvers decide it). {@code step}: the gate of the chain run
 * {@code runId} it decides (a step with an approval and no workflow), null for the run's own.
 */
public record Approval(
        long runId,
        int required,
        Instant deadline,
        String starter,
        String starterKind,
        Instant requestedAt,
        Optional<Verdict> outcome,
        List<Decision> decisions,
        String decidedOn,
        String step) {

    public Approval {
        decisions = List.copyOf(decisions);
    }

    /** An approval decided by the holders of {@code approve} on the run's own workflow. */
    public Approval(
            long runId,
            int required,
            Instant deadline,
            String starter,
            String starterKind,
            Instant requestedAt,
            Optional<Verdict> outcome,
            List<Decision> decisions) {
        this(runId, required, deadline, starter, starterKind, requestedAt, outcome, decisions, null, null);
    }

    /** The workflow on which a decider must hold {@code approve}. */
    public String decidedOn(String runWorkflow) {
        return decidedOn == null ? runWorkflow : decidedOn;
    }

    Approval withOutcome(Optional<Verdict> settled) {
        return new Approval(
                runId, required, deadline, starter, starterKind, requestedAt, settled, decisions, decidedOn, step);
    }

    Approval withDecisions(List<Decision> all) {
        return new Approval(
                runId, required, deadline, starter, starterKind, requestedAt, outcome, all, decidedOn, step);
    }

    public boolean isGate() {
        return step != null;
    }

    /** The run, or the gate of a chain run, that an approval decides. */
    public record Key(long runId, String step) {

        public static Key of(long runId) {
            return new Key(runId, null);
        }

        /** How the tables spell the step: '' for the run's own approval. */
        String stored() {
            return step == null ? "" : step;
        }
    }

    public Key key() {
        return new Key(runId, step);
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
