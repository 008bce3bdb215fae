package org.fedoraproject.releng.workflow.run;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run. The allowed transitions are this one table; {@link RunLifecycle} enforces it
 * and the repository records every transition. {@code lost} means the node running it died or
 * stopped. {@code waiting_approval} and {@code rejected} belong to approvals (package {@code approval}).
 */
public enum RunStatus {
    WAITING_APPROVAL,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT,
    LOST,
    REJECTED;

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            WAITING_APPROVAL, EnumSet.of(QUEUED, REJECTED, CANCELLED),
            // a queued run can also fail before it starts: its workflow vanished or broke meanwhile
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, LOST),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            TIMED_OUT, EnumSet.noneOf(RunStatus.class),
            LOST, EnumSet.noneOf(RunStatus.class),
            REJECTED, EnumSet.noneOf(RunStatus.class));

    public boolean canBecome(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus parse(String text) {
        for (RunStatus s : values()) {
            if (s.id().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status `" + text + "`: must be one of "
                + java.util.Arrays.stream(values())
                        .map(RunStatus::id)
                        .collect(java.util.stream.Collectors.joining(", ")));
    }
}
