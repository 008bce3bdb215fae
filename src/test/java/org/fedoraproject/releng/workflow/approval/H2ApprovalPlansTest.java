package org.fedoraproject.releng.workflow.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the approval sweep (every node, every few seconds) and {@code /api/approvals} ask, planned
 * by the embedded H2 over a history where many approvals were left undecided (runs cancelled
 * while they waited): each must start from the few runs that wait, not walk every undecided row.
 * PostgreSQL's plans are checked by {@code HistoryQueryPlansIT}.
 */
class H2ApprovalPlansTest {

    @TempDir
    Path dataDir;

    @Test
    void theWaitingApprovalsAreFoundFromTheWaitingRuns() {
        try (Database db = Database.open(new EngineConfig.Database(null, null, null, null, 2), dataDir, Map.of())) {
            Jdbi jdbi = db.jdbi();
            jdbi.useHandle(h -> {
                h.execute("insert into run (id, workflow_id, number, status, cause_type, parameters, queued_at)"
                        + " select x, 'w', x, case when x > 19990 then 'waiting_approval' else 'cancelled' end,"
                        + " 'manual', '{}', timestamp with time zone '2026-01-01 00:00:00+00'"
                        + " from system_range(1, 20000) g(x)");
                // every run had an approval; all but the waiting ones were cancelled undecided
                h.execute("insert into run_approval (run_id, step, required, deadline, starter, starter_kind,"
                        + " requested_at, outcome) select id, '', 1, timestamp with time zone '2026-01-02 00:00:00+00',"
                        + " 'alice', 'user', queued_at, null from run");
                // and chains that ran their steps long ago
                h.execute("insert into chain_step (chain_run_id, step_id, status, run_id, updated_at)"
                        + " select r.id, 'step-' || s.x, 'started', r.id, r.queued_at"
                        + " from run r, system_range(1, 3) s(x) where r.id % 10 = 0");
                h.execute("analyze");
            });
            JdbcApprovals approvals = new JdbcApprovals(jdbi, JdbcRunRepository.OutboxWriter.NONE);
            List<String> statements = new ArrayList<>();
            jdbi.setSqlLogger(new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext ctx) {
                    statements.add(ctx.getRenderedSql());
                }
            });

            assertThat(approvals.open()).hasSize(10);
            assertThat(approvals.expired(Instant.parse("2026-12-01T00:00:00Z"))).hasSize(10);
            assertThat(approvals.settledButWaiting()).isEmpty();
            jdbi.setSqlLogger(SqlLogger.NOP_SQL_LOGGER);

            List<String> sweeps =
                    statements.stream().filter(s -> s.startsWith("select")).toList();
            assertThat(sweeps).anyMatch(s -> s.contains("from run_approval"));
            for (String sql : sweeps) {
                // a plan needs no values: any id will do
                String unbound = sql.replaceAll(":[_a-zA-Z0-9]+", "0");
                String plan = jdbi.withHandle(h -> String.join(
                        "\n",
                        h.createQuery("explain " + unbound).mapTo(String.class).list()));
                assertThat(plan)
                        .as("H2's plan of %s", sql)
                        .doesNotContain("run_approval_open_idx")
                        .doesNotContain("tableScan");
            }
        }
    }
}
