package org.fedoraproject.releng.workflow.events;

/** A page of a run's events: those after {@code after} (a seq), at most {@code limit}, filtered when given. */
public record EventQuery(long runId, int after, int limit, String type, String host, Boolean failed) {

    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        if (after < 0) {
            throw new IllegalArgumentException("after must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (type != null && !RunEvent.TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown event type `" + type + "`");
        }
    }
}
