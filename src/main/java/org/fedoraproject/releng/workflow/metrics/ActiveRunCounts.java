package org.fedoraproject.releng.workflow.metrics;

import java.util.Map;

/** How many runs of each workflow are in each non-final status, as the database has them now. */
interface ActiveRunCounts {
    /** Workflow id to status id to count; statuses without runs may be absent. */
    Map<String, Map<String, Long>> count();
}
