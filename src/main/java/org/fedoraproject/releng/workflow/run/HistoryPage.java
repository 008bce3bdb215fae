package org.fedoraproject.releng.workflow.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.Query;

/**
 * The SQL of one page of history that reads about as many index entries as the page shows,
 * however long the history. A filter on a list of values ({@code workflow_id in (...)} or
 * {@code status in (...)}) cannot walk an index in id order, so the database would collect every
 * matching run and sort them all; instead each (workflow, status) the query allows is one branch
 * that walks its own index range newest first and stops after {@code limit} ids, and the page
 * takes the newest {@code limit} of those. The cost grows with the number of branches (visible
 * workflows times statuses asked for), never with the number of runs.
 *
 * <p>Each branch orders by all columns of the index it walks, though the leading ones are fixed:
 * H2 walks an index to sort only when the order names its columns from the first, and
 * PostgreSQL drops the fixed ones. The {@code id < :before} bound is always there (the largest id
 * when no page was asked for), so that H2 prefers the index ending in {@code id}.
 */
final class HistoryPage {

    private final List<String> workflows;
    private final List<String> statuses;
    private final long before;
    private final int limit;

    private HistoryPage(List<String> workflows, List<String> statuses, long before, int limit) {
        this.workflows = workflows;
        this.statuses = statuses;
        this.before = before;
        this.limit = limit;
    }

    /** The page {@code q} asks for; {@link #isEmpty} when no workflow it may read can match. */
    static HistoryPage of(RunQuery q) {
        List<String> workflows;
        if (q.workflow() != null) {
            boolean allowed = q.onlyWorkflows() == null || q.onlyWorkflows().contains(q.workflow());
            workflows = allowed ? List.of(q.workflow()) : List.of();
        } else {
            workflows = q.onlyWorkflows() == null
                    ? null
                    : q.onlyWorkflows().stream().sorted().toList();
        }
        List<String> statuses =
                q.statuses().stream().map(RunStatus::id).sorted().toList();
        return new HistoryPage(workflows, statuses, q.beforeId() == null ? Long.MAX_VALUE : q.beforeId(), q.limit());
    }

    boolean isEmpty() {
        return workflows != null && workflows.isEmpty();
    }

    /** The query, selecting {@code columns} (of table alias {@code r}), newest first. */
    String sql(String columns) {
        List<String> branches = new ArrayList<>();
        for (int w = 0; w < (workflows == null ? 1 : workflows.size()); w++) {
            for (int s = 0; s < Math.max(1, statuses.size()); s++) {
                branches.add(branch(workflows == null ? -1 : w, statuses.isEmpty() ? -1 : s, limit));
            }
        }
        String ids = branches.size() == 1
                ? branches.get(0)
                : "(" + String.join(" union all ", branches) + " order by id desc limit " + limit + ")";
        return "select " + qualified(columns) + " from run r join " + ids + " p on r.id = p.id order by r.id desc";
    }

    void bind(Query query) {
        query.bind("before", before);
        for (int w = 0; workflows != null && w < workflows.size(); w++) {
            query.bind("w" + w, workflows.get(w));
        }
        for (int s = 0; s < statuses.size(); s++) {
            query.bind("s" + s, statuses.get(s));
        }
    }

    /**
     * {@code limit} is written into the SQL, not bound: H2 reused a derived table's rows from an
     * earlier execution that differed only in a bound limit (a page of 500 came back with the one
     * run of a page of 1). It is an int the query has clamped, never text from outside.
     */
    private static String branch(int workflow, int status, int limit) {
        StringBuilder where = new StringBuilder("id < :before");
        StringBuilder order = new StringBuilder();
        if (workflow >= 0) {
            where.append(" and workflow_id = :w").append(workflow);
            order.append("workflow_id desc, ");
        }
        if (status >= 0) {
            where.append(" and status = :s").append(status);
            order.append("status desc, ");
        }
        return "(select id from run where " + where + " order by " + order + "id desc limit " + limit + ")";
    }

    private static String qualified(String columns) {
        return Arrays.stream(columns.split(",")).map(c -> "r." + c.strip()).collect(Collectors.joining(", "));
    }
}
