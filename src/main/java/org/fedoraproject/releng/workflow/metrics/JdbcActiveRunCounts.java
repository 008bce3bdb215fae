package org.fedoraproject.releng.workflow.metrics;

import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** One grouped query for all workflows: a scrape costs one round trip, whatever the catalog's size. */
final class JdbcActiveRunCounts implements ActiveRunCounts {

    private record Row(String workflowId, String status, long count) {}

    private final Jdbi jdbi;

    JdbcActiveRunCounts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Map<String, Map<String, Long>> count() {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        jdbi.withHandle(h -> h.createQuery(
                                "select workflow_id, status, count(*) from run"
                                        + " where status in ('queued', 'waiting_approval', 'running') group by workflow_id, status")
                        .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        .list())
                .forEach(r -> counts.computeIfAbsent(r.workflowId(), w -> new HashMap<>())
                        .put(r.status(), r.count()));
        return counts;
    }
}
