package org.fedoraproject.releng.workflow.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.fedoraproject.releng.workflow.events.JdbcRunEventStore;
import org.fedoraproject.releng.workflow.events.TaskSummary;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunQuery;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A database at the schema before the history indexes (version 5), with runs in it, is migrated
 * by {@link Database#open} as an engine upgrade would: the indexes are built and valid, the runs
 * are untouched, and the history reads them through the new queries.
 */
abstract class MigrationFromPreviousSchemaContract {

    /** The JDBC URL, user and password of an empty database. */
    protected record Target(String url, String user, String password) {}

    protected abstract Target emptyDatabase();

    protected abstract Database open(Target target);

    /** Names (lower case) of the valid indexes on table {@code run}. */
    protected abstract Set<String> validIndexesOfRun(Handle h);

    @Test
    void aDatabaseWithRunsAtTheSchemaBeforeGainsTheHistoryIndexesAndKeepsItsRuns() {
        Target target = emptyDatabase();
        Flyway.configure()
                .dataSource(target.url(), target.user(), target.password())
                .locations("classpath:db/migration")
                .target("5")
                .load()
                .migrate();
        Jdbi previous = Jdbi.create(target.url(), target.user(), target.password());
        previous.useHandle(h -> {
            for (int i = 1; i <= 30; i++) {
                String workflow = i % 3 == 0 ? "push-updates" : "compose";
                h.createUpdate("insert into run (workflow_id, number, status, cause_type, parameters, queued_at)"
                                + " values (:w, :n, :s, 'manual', '{}', current_timestamp)")
                        .bind("w", workflow)
                        .bind("n", workflow.equals("compose") ? i - i / 3 : i / 3)
                        .bind("s", i % 7 == 0 ? "failed" : "succeeded")
                        .execute();
            }
            h.execute("insert into workflow_counter (workflow_id, last_number)"
                    + " select workflow_id, max(number) from run group by workflow_id");
        });
        assertThat(previous.withHandle(this::validIndexesOfRun))
                .doesNotContain("run_status_id_idx", "run_workflow_status_id_idx");

        try (Database migrated = open(target)) {
            assertThat(migrated.jdbi().withHandle(this::validIndexesOfRun))
                    .contains("run_status_id_idx", "run_workflow_status_id_idx");
            JdbcRunRepository runs =
                    new JdbcRunRepository(migrated.jdbi(), new ObjectMapper(), JdbcRunRepository.OutboxWriter.NONE);
            assertThat(runs.list(new RunQuery(null, null, 100, null, null))).hasSize(30);
            assertThat(runs.list(new RunQuery("compose", Set.of(RunStatus.FAILED), 100, null, null)))
                    .extracting(Run::number)
                    .containsExactly(19L, 10L, 5L);
            assertThat(runs.latestByWorkflow())
                    .extractingFromEntries(e -> e.getKey() + " #" + e.getValue().number())
                    .containsExactlyInAnyOrder("compose #20", "push-updates #10");
            int applied = migrated.jdbi()
                    .withHandle(h -> h.createQuery(
                                    "select count(*) from flyway_schema_history where version = '10' and success")
                            .mapTo(Integer.class)
                            .one());
            assertThat(applied).isEqualTo(1);
        }
    }

    @Test
    void eventsRecordedBeforeTaskSummariesWereKeptAreAddedUpOnce() {
        Target target = emptyDatabase();
        Flyway.configure()
                .dataSource(target.url(), target.user(), target.password())
                .locations("classpath:db/migration", "classpath:db/" + vendor())
                // as Database.open: a held lock transaction would block V10's concurrent index builds
                .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false"))
                .target("10")
                .load()
                .migrate();
        Jdbi previous = Jdbi.create(target.url(), target.user(), target.password());
        long runId = previous.withHandle(h -> {
            h.execute("insert into run (workflow_id, number, status, cause_type, parameters, queued_at)"
                    + " values ('compose', 1, 'failed', 'manual', '{}', current_timestamp)");
            long id = h.createQuery("select id from run").mapTo(Long.class).one();
            String[][] events = {
                {"playbook_on_play_start", null, null, "false", "false", "false", null, null},
                {"playbook_on_task_start", "t1", null, "false", "false", "false", null, "3"},
                {"runner_on_ok", "t1", "a", "true", "false", "false", "40", "4"},
                {"runner_on_failed", "t1", "b", "false", "true", "true", "90", "5"},
                {"runner_on_skipped", "t1", "c", "false", "false", "false", null, "6"},
                {"playbook_on_task_start", "t2", null, "false", "false", "false", null, "8"},
                {"runner_item_on_ok", "t2", "a", "true", "false", "false", "1", "9"},
                {"runner_on_failed", "t2", "a", "false", "true", "false", "7", "10"},
                {"runner_on_unreachable", "t2", "b", "false", "true", "false", null, "12"},
                {"playbook_on_handler_task_start", "h1", null, "false", "false", "false", null, "14"},
                {"playbook_on_task_start", "t3", null, "false", "false", "false", null, "20"},
            };
            for (int seq = 1; seq <= events.length; seq++) {
                String[] e = events[seq - 1];
                h.createUpdate("insert into run_event (run_id, seq, type, at, play, task, task_id, host, changed,"
                                + " failed, ignored, duration_ms, line) values (:run, :seq, :type, current_timestamp,"
                                + " 'Play', :task, :taskId, :host, :changed, :failed, :ignored, :duration, :line)")
                        .bind("run", id)
                        .bind("seq", seq)
                        .bind("type", e[0])
                        .bind("task", e[1] == null ? null : "task " + e[1])
                        .bind("taskId", e[1])
                        .bind("host", e[2])
                        .bind("changed", Boolean.parseBoolean(e[3]))
                        .bind("failed", Boolean.parseBoolean(e[4]))
                        .bind("ignored", Boolean.parseBoolean(e[5]))
                        .bindBySqlType("duration", e[6] == null ? null : Long.valueOf(e[6]), java.sql.Types.BIGINT)
                        .bindBySqlType("line", e[7] == null ? null : Integer.valueOf(e[7]), java.sql.Types.INTEGER)
                        .execute();
            }
            return id;
        });

        try (Database migrated = open(target)) {
            int kept = migrated.jdbi()
                    .withHandle(h -> h.createQuery("select count(*) from run_task where run_id = :run")
                            .bind("run", runId)
                            .mapTo(Integer.class)
                            .one());
            assertThat(kept).as("task summaries the migration added up").isEqualTo(4);
            List<TaskSummary> tasks = new JdbcRunEventStore(migrated.jdbi()).tasks(runId, 100);
            assertThat(tasks)
                    .containsExactly(
                            new TaskSummary(
                                    2, "t1", "Play", "task t1", null, null, null, false, 3, 1, 1, 0, 1, 1, 0, 90L,
                                    null),
                            new TaskSummary(
                                    6, "t2", "Play", "task t2", null, null, null, false, 8, 0, 0, 1, 0, 0, 1, 7L, 10),
                            new TaskSummary(
                                    10, "h1", "Play", "task h1", null, null, null, true, 14, 0, 0, 0, 0, 0, 0, null,
                                    null),
                            new TaskSummary(
                                    11, "t3", "Play", "task t3", null, null, null, false, 20, 0, 0, 0, 0, 0, 0, null,
                                    null));
        }
    }

    /** The vendor folder of migrations ({@code h2} or {@code postgresql}) this database takes. */
    protected abstract String vendor();
}
