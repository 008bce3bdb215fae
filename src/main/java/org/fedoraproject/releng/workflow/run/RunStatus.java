package org.fedoraproject.releng.workflow.run;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run. The allowed transitions are this one table; {@link Run#to} enforces it and
 * the repository records every transition. {@code lost} means the node running it died or stopped.
 */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT,
    LOST;

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            // a queued run can also fail before it starts: its workflow vanished or broke meanwhile
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, LOST),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            TIMED_OUT, EnumSet.noneOf(RunStatus.class),
            LOST, EnumSet.noneOf(RunStatus.class));

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
        throw new IllegalArgumentException("unknown status `" + text
                + "`: must be queued, running, succeeded, failed, cancelled, timed_out or lost");
    }
}
