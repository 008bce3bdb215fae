package org.fedoraproject.releng.workflow.run;

import java.util.Set;

/**
 * A page of history, newest first: runs with an id below {@code beforeId} (null for the newest),
 * optionally of one workflow and some statuses, and only of {@code onlyWorkflows} unless that is
 * null (the caller may read everything).
 */
public record RunQuery(String workflow, Set<RunStatus> statuses, int limit, Long beforeId, Set<String> onlyWorkflows) {

    public static final int MAX_LIMIT = 500;

    public RunQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        onlyWorkflows = onlyWorkflows == null ? null : Set.copyOf(onlyWorkflows);
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
    }
}
