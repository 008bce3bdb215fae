package org.fedoraproject.releng.workflow.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.fedoraproject.releng.workflow.access.Principal;

/**
 * {@code approval: {count, timeout, unless}} of a workflow (or a chain step): a run waits until
 * {@code count} distinct people holding {@code approve} agree, and is rejected after {@code
 * timeout}. {@code unlessCauses} (cause types such as {@code schedule}) and {@code
 * unlessPrincipals} ({@code user:X}, {@code group:X}) name the runs that need no approval.
 */
public record ApprovalRule(int count, Duration timeout, List<String> unlessCauses, List<String> unlessPrincipals) {

    /** The cause types a run can have; {@code unless} may name any of them. */
    public static final Set<String> CAUSES =
            Set.of("schedule", "message", "pipeline", "api", "manual", "relaunch", "chain");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    public ApprovalRule {
        unlessCauses = List.copyOf(unlessCauses);
        unlessPrincipals = List.copyOf(unlessPrincipals);
    }

    /**
     * Whether a run with this cause, started by {@code starter} (null or anonymous for schedules
     * and messages), must wait for approval.
     */
    public boolean requiredFor(String causeType, Principal starter) {
        if (unlessCauses.contains(causeType)) {
            return false;
        }
        if (starter == null || starter.isAnonymous()) {
            return true;
        }
        for (String p : unlessPrincipals) {
            if (p.startsWith("user:") && p.substring(5).equals(starter.name())) {
                return false;
            }
            if (p.startsWith("group:") && starter.inGroup(p.substring(6))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Both rules at once (a chain step's and its workflow's own): the higher count and the shorter
     * timeout. Whether either applies at all was decided before, so {@code unless} is left empty.
     */
    public ApprovalRule stricter(ApprovalRule other) {
        return new ApprovalRule(
                Math.max(count, other.count),
                timeout.compareTo(other.timeout) <= 0 ? timeout : other.timeout,
                List.of(),
                List.of());
    }
}
