package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fedoraproject.releng.workflow.approval.JdbcApprovals;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.lock.JdbcLocks;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGStatement;

/**
 * Every query the pages and the API ask of PostgreSQL, over a history long enough that the
 * planner prefers indexes wherever one fits, must read only about what it shows: no sequential
 * scan of a table that grows with the history, and a small estimated cost. The test serves each
 * route from a real engine and has PostgreSQL explain (without running) every SELECT the engine
 * sends while it does, with the values the engine bound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryQueryPlansIT {

    private static final int RUNS = 200_000;
    /** Tables whose rows grow with the history. */
    private static final Set<String> HISTORY = Set.of(
            "run",
            "run_transition",
            "run_message",
            "outbox",
            "run_event",
            "run_task",
            "run_summary",
            "run_approval",
            "approval_decision",
            "chain_run",
            "chain_step",
            "run_lock_wanted");
    /**
     * The planner's estimate, in its units, that a query reading a page's worth of index entries
     * stays under: the largest page (500 runs) costs about 3,800 here, while collecting the runs
     * of one workflow or one status to sort them costs tens of thousands.
     */
    private static final double MAX_COST = 5_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    private TestEngine engine;
    private final List<Plan> plans = Collections.synchronizedList(new ArrayList<>());
    private long deepId;
    /** A run of 100,000 events, whose page and events API must not read them all. */
    private String eventfulPage;

    private record Plan(String route, String sql, JsonNode plan) {}

    @BeforeAll
    void startOnALongHistory() throws IOException, SQLException {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase("history_plans");
        try (Database db = Database.open(
                new EngineConfig.Database(url, server.user(), null, null, 2), home.resolve("unused"), Map.of())) {
            String seed = Files.readString(Path.of("test-fixtures/history/seed.sql"))
                    .replace("@RUNS@", Integer.toString(RUNS));
            db.jdbi().useHandle(h -> {
                try (Statement statements = h.getConnection().createStatement()) {
                    statements.execute(seed);
                }
            });
            deepId = db.jdbi()
                    .withHandle(h -> h.createQuery("select max(id) / 10 from run")
                            .mapTo(Long.class)
                            .one());
            String events = Files.readString(Path.of("test-fixtures/history/events.sql"))
                    .replace("@RUN@", Long.toString(deepId));
            db.jdbi().useHandle(h -> {
                try (Statement statements = h.getConnection().createStatement()) {
                    statements.execute(events);
                }
            });
            eventfulPage = db.jdbi()
                    .withHandle(
                            h -> h.createQuery("select '/job/' || workflow_id || '/' || number from run where id = :id")
                                    .bind("id", deepId)
                                    .mapTo(String.class)
                                    .one());
        }
        engine = TestEngine.start(home, "database: {url: \"" + url + "\", user: " + server.user() + "}\n");
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void everyPageAndHistoryQueryReadsOnlyWhatItShows() {
        long midNumber = RUNS / 11 / 2;
        List<String> routes = List.of(
                "/",
                "/job/echo-params",
                "/job/echo-params?before=" + deepId,
                "/job/echo-params/" + midNumber,
                "/api/workflows",
                "/api/workflows/echo-params",
                "/api/runs",
                "/api/runs?limit=500",
                "/api/runs?before=" + deepId,
                "/api/runs?status=failed",
                "/api/runs?status=timed_out&before=" + deepId,
                "/api/runs?status=failed,cancelled,lost",
                "/api/runs?status=running,queued",
                "/api/runs?workflow=echo-params",
                "/api/runs?workflow=echo-params&before=" + deepId,
                "/api/runs?workflow=qa-smoke&status=timed_out,cancelled&before=" + deepId,
                "/api/runs?workflow=retired-chore",
                "/api/runs/" + deepId,
                eventfulPage,
                "/api/runs/" + deepId + "/events",
                "/api/runs/" + deepId + "/events?after=60000&limit=500",
                "/api/runs/" + deepId + "/hosts",
                "/api/approvals",
                "/metrics");
        for (String route : routes) {
            servedWithPlans(route, false);
            servedWithPlans(route, true);
        }
        // what the approval sweep asks every few seconds, on every node
        JdbcApprovals approvals =
                new JdbcApprovals(engine.engine().database().jdbi(), JdbcRunRepository.OutboxWriter.NONE);
        withPlans("approval sweep: expired", () -> approvals.expired(java.time.Instant.now()));
        withPlans("approval sweep: settled but waiting", approvals::settledButWaiting);
        withPlans(
                "approval sweep: waiting without approval",
                () -> approvals.waitingWithoutApproval(java.time.Instant.now()));
        // what claiming a run that wants a lock asks, and what its end wakes
        Jdbi jdbi = engine.engine().database().jdbi();
        long holder = jdbi.withHandle(h -> h.createQuery("select max(id) from run where status = 'running'")
                .mapTo(Long.class)
                .one());
        withPlans("lock claim", () -> jdbi.useTransaction(h -> JdbcLocks.mayTake(h, holder)));
        withPlans("lock blocker", () -> jdbi.useHandle(h -> JdbcLocks.blocker(h, holder)));
        withPlans("lock wake-up", () -> jdbi.useHandle(h -> JdbcLocks.nextAfter(h, holder, "sleeper")));
        withPlans("lock waiting gauge", () -> jdbi.useHandle(JdbcLocks::waiting));

        assertThat(plans).hasSizeGreaterThan(routes.size());
        List<String> problems = new ArrayList<>();
        for (Plan p : plans) {
            double cost = p.plan().path("Total Cost").asDouble();
            System.out.printf(Locale.ROOT, "cost %10.1f  %-60s %s%n", cost, p.route(), abbreviated(p.sql()));
            List<String> scans = new ArrayList<>();
            seqScansOfHistory(p.plan(), scans);
            if (!scans.isEmpty() || cost > MAX_COST) {
                problems.add(p.route() + ": " + (scans.isEmpty() ? "" : "Seq Scan on " + scans + ", ") + "cost " + cost
                        + "\n  " + p.sql() + "\n  " + p.plan());
            }
        }
        assertThat(problems).as("plans that read more than the page they serve").isEmpty();
    }

    private void servedWithPlans(String route, boolean asAdmin) {
        String label = route + (asAdmin ? " (admin)" : "");
        withPlans(label, () -> {
            int status = (asAdmin ? engine.getWithToken(route) : engine.get(route)).statusCode();
            assertThat(status).as("status of %s", label).isEqualTo(200);
        });
    }

    /** Explains every select that {@code action} sends (the engine's own background work included). */
    private void withPlans(String label, Runnable action) {
        engine.engine().database().jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext ctx) {
                explain(label, ctx);
            }
        });
        try {
            action.run();
        } finally {
            engine.engine().database().jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
        }
    }

    /**
     * Explains the statement about to run, with the values bound to it: PostgreSQL's driver shows
     * a prepared statement as its text with those values written in.
     */
    private void explain(String route, StatementContext ctx) {
        String sql;
        try {
            // the pool's wrapper names itself; the driver's own statement shows the SQL
            sql = ctx.getStatement().unwrap(PGStatement.class).toString();
        } catch (SQLException e) {
            throw new AssertionError("not PostgreSQL's statement: " + ctx.getStatement(), e);
        }
        if (!sql.strip().toLowerCase(Locale.ROOT).startsWith("select")) {
            return;
        }
        try (Statement explain = ctx.getConnection().createStatement();
                ResultSet rs = explain.executeQuery("explain (format json) " + sql)) {
            rs.next();
            plans.add(new Plan(route, sql, JSON.readTree(rs.getString(1)).get(0).get("Plan")));
        } catch (SQLException | IOException e) {
            throw new AssertionError("cannot explain " + sql, e);
        }
    }

    private static void seqScansOfHistory(JsonNode node, List<String> found) {
        if ("Seq Scan".equals(node.path("Node Type").asText())
                && HISTORY.contains(node.path("Relation Name").asText())) {
            found.add(node.path("Relation Name").asText());
        }
        for (JsonNode child : node.path("Plans")) {
            seqScansOfHistory(child, found);
        }
    }

    private static String abbreviated(String sql) {
        return sql.length() > 140 ? sql.substring(0, 140) + "…" : sql;
    }
}
