package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedoraproject.releng.workflow.ansible.LocalProcessLauncher;
import org.fedoraproject.releng.workflow.ansible.PlaybookRunner;
import org.fedoraproject.releng.workflow.catalog.CatalogLoader;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.log.FileLogStore;
import org.fedoraproject.releng.workflow.testsupport.CountingDataSource;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts the database round trips (statements and commits, the engine's and db-scheduler's alike)
 * of one run from trigger to its final status, as the engine wires the run path, on H2 with the
 * real {@code ansible-playbook}. The bound is the figure the run path was cut to; a read too many
 * (or a poll while the playbook runs) breaks it.
 */
class RunPathRoundTripsTest {

    /**
     * Queue 4 (number, insert, history, commit), direct dispatch 1, start 5 (lock, count, update,
     * history, commit), before the playbook 1 (process group; a run with a secret parameter also
     * reads its sealed secrets), finish 4 (update, history, commit, next queued run), done 1 (the
     * execution). It was 34, with a cancel poll a second.
     */
    private static final int MOST_ROUND_TRIPS = 16;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Database database;
    private CountingDataSource counted;
    private DbSchedulerDispatch dispatch;
    private RunService service;
    private final Set<Long> finished = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void wire() {
        Clock clock = Clock.systemUTC();
        database = Database.open(new EngineConfig.Database(null, null, null, null, 4), dir.resolve("data"), Map.of());
        counted = new CountingDataSource(database.dataSource());
        Jdbi jdbi = Jdbi.create(counted.dataSource());
        Path catalogDir = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalogDir);
        writeSleeperWithoutLimit(catalogDir);
        CatalogService catalog = new CatalogService(new CatalogLoader(catalogDir, clock));
        catalog.reload();
        JdbcRunRepository runs = new JdbcRunRepository(jdbi, JSON, JdbcRunRepository.OutboxWriter.NONE);
        RunLifecycle lifecycle = new RunLifecycle(runs, RunAnnouncer.NONE, clock);
        SecretSealer sealer = SecretSealer.fromKeyFile(dir.resolve("secrets.key"));
        RunExecutor executor = new RunExecutor(
                catalog,
                runs,
                lifecycle,
                new FileLogStore(dir.resolve("logs")),
                sealer,
                new PlaybookRunner(new LocalProcessLauncher(), "ansible-playbook", Duration.ofSeconds(5), clock),
                "node-a",
                Duration.ofMinutes(5),
                dir.resolve("runs"),
                run -> "http://engine/runs/" + run.id());
        // polls and heartbeats far apart, so that none falls inside the counted run
        dispatch = new DbSchedulerDispatch(
                counted.dataSource(),
                executor,
                new DbSchedulerDispatch.Settings(
                        2,
                        Duration.ofHours(1),
                        Duration.ofHours(1),
                        Duration.ofSeconds(30),
                        "node-a",
                        Duration.ofHours(1)),
                clock);
        service = new RunService(catalog, runs, lifecycle, sealer, dispatch, executor);
        service.onFinish(finished::add);
        dispatch.start(List.of());
    }

    @AfterEach
    void stop() {
        dispatch.close();
        database.close();
    }

    @Test
    void aRunFromTriggerToItsFinalStatusTakesFewRoundTrips() {
        // the first run of a workflow creates its counter row and warms everything up
        runToTheEnd(0);
        counted.reset();

        // three seconds of playbook: a run polled for cancels while it runs would show it
        Run run = runToTheEnd(3);

        List<String> trips = counted.trips();
        assertThat(service.find(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(trips.size())
                .withFailMessage("round trips of one run (%d):%n  %s", trips.size(), String.join("\n  ", trips))
                .isLessThanOrEqualTo(MOST_ROUND_TRIPS);
    }

    @Test
    void aRunQueuedWhileAWorkerIsFreeStartsWithoutWaitingForDbSchedulerToPickIt() {
        runToTheEnd(0);
        counted.reset();

        runToTheEnd(0);

        // db-scheduler finds due executions with this query and picks them with a versioned update
        assertThat(counted.trips())
                .noneMatch(sql -> sql.startsWith("select * from scheduled_tasks where picked = ?"))
                .noneMatch(sql -> sql.contains("version = version + 1 where picked = ?"))
                .anyMatch(sql -> sql.startsWith("insert into scheduled_tasks") && sql.contains("picked_by"));
    }

    @Test
    void runsStartedAtOnceShareTheNodesWorkersWithDbSchedulers() {
        ObjectNode parameters = JSON.createObjectNode().put("seconds", 3);
        List<Run> runs = List.of(
                service.trigger("sleeper-many", parameters, Cause.api("bench"), "bench"),
                service.trigger("sleeper-many", parameters, Cause.api("bench"), "bench"),
                service.trigger("sleeper-many", parameters, Cause.api("bench"), "bench"));

        // two workers: the third waits although its workflow would allow it
        await().atMost(Duration.ofSeconds(60))
                .until(() -> status(runs.get(0)) == RunStatus.RUNNING && status(runs.get(1)) == RunStatus.RUNNING);
        assertThat(status(runs.get(2))).isEqualTo(RunStatus.QUEUED);
        await().atMost(Duration.ofSeconds(120))
                .until(() -> runs.stream().allMatch(r -> status(r) == RunStatus.SUCCEEDED));
    }

    private RunStatus status(Run run) {
        return service.find(run.id()).status();
    }

    /** The sleeper with room for more runs at once than the node has workers. */
    private static void writeSleeperWithoutLimit(Path catalogDir) {
        try {
            java.nio.file.Files.writeString(
                    catalogDir.resolve("sleeper-many.yaml"),
                    java.nio.file.Files.readString(catalogDir.resolve("sleeper.yaml"))
                            .replace("id: sleeper", "id: sleeper-many")
                            .replace("limit: 1", "limit: 4"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Run runToTheEnd(int seconds) {
        ObjectNode parameters = JSON.createObjectNode().put("seconds", seconds);
        Run run = service.trigger("sleeper", parameters, Cause.api("bench"), "bench");
        Jdbi raw = Jdbi.create(database.dataSource());
        // finished, and its dispatch done with (the execution removed)
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> finished.contains(run.id())
                        && raw.withHandle(h -> h.createQuery(
                                                "select count(*) from scheduled_tasks where task_instance = :id")
                                        .bind("id", Long.toString(run.id()))
                                        .mapTo(Integer.class)
                                        .one())
                                == 0);
        return run;
    }
}
