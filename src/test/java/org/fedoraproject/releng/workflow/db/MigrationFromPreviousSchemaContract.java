package org.fedoraproject.releng.workflow.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
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
}
