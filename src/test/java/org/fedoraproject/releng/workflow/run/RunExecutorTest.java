package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.fedoraproject.releng.workflow.ansible.LocalProcessLauncher;
import org.fedoraproject.releng.workflow.ansible.PlaybookRunner;
import org.fedoraproject.releng.workflow.catalog.CatalogLoader;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.log.FileLogStore;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the executor decides before and around a playbook, on an in-memory repository: claiming
 * within the limit, waiting, failing a run whose workflow is gone, and recovering lost runs.
 * Running a real playbook is the end-to-end tests' part.
 */
class RunExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryRunRepository runs = new InMemoryRunRepository();
    private final RunLifecycle lifecycle = new RunLifecycle(runs, RunAnnouncer.NONE, clock);
    private FileLogStore logs;
    private RunExecutor executor;

    @BeforeEach
    void wire() {
        Path catalogDir = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalogDir);
        CatalogService catalog = new CatalogService(new CatalogLoader(catalogDir, clock));
        catalog.reload();
        logs = new FileLogStore(dir.resolve("logs"));
        executor = new RunExecutor(
                catalog,
                runs,
                lifecycle,
                logs,
                SecretSealer.fromKeyFile(dir.resolve("secrets.key")),
                new PlaybookRunner(new LocalProcessLauncher(), "ansible-playbook", Duration.ofSeconds(1), clock),
                "node-a",
                Duration.ofMinutes(5),
                dir.resolve("runs"),
                run -> "http://engine/runs/" + run.id());
    }

    @Test
    void aRunWhoseWorkflowIsAtItsLimitWaitsQueued() {
        lifecycle.start(queue("sleeper"), 1, "node-b").orElseThrow();
        Run waiting = queue("sleeper");

        RunExecutor.Attempt attempt = executor.execute(waiting.id());

        assertThat(attempt.waits()).isTrue();
        assertThat(runs.find(waiting.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(runs.transitions(waiting.id())).hasSize(1);
    }

    @Test
    void aRunWhoseWorkflowLeftTheCatalogFailsWithoutStarting() throws Exception {
        Run run = queue("no-such-workflow");

        RunExecutor.Attempt attempt = executor.execute(run.id());

        assertThat(attempt.waits()).isFalse();
        Run failed = runs.find(run.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.startedAt()).isNull();
        assertThat(runs.transitions(run.id()))
                .last()
                .extracting(RunTransition::actor, RunTransition::reason)
                .containsExactly(
                        "node-a", "workflow `no-such-workflow` is no longer in the catalog (its file was removed)");
        try (var in = logs.read(run.id(), 0, logs.size(run.id()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("Finished: FAILED");
        }
    }

    @Test
    void aRunThatIsNoLongerQueuedIsLeftAlone() {
        Run cancelled = lifecycle.cancel(queue("sleeper"), "bob", "no").orElseThrow();

        assertThat(executor.execute(cancelled.id()).waits()).isFalse();
        assertThat(executor.execute(9999).waits()).isFalse();
        assertThat(runs.transitions(cancelled.id())).hasSize(2);
    }

    @Test
    void aStoppingNodeStartsNothingAndLeavesTheRunQueued() {
        Run run = queue("sleeper");
        executor.stopAll();

        assertThat(executor.execute(run.id()).waits()).isTrue();
        assertThat(runs.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void runsThisNodeLeftRunningAreLostAndOthersNodesRunsAreNot() throws Exception {
        Run mine = lifecycle.start(queue("sleeper"), 1, "node-a").orElseThrow();
        Run theirs = lifecycle.start(queue("echo-params"), 1, "node-b").orElseThrow();

        assertThat(executor.recoverLost()).isEqualTo(1);

        assertThat(runs.find(mine.id()).orElseThrow().status()).isEqualTo(RunStatus.LOST);
        assertThat(runs.transitions(mine.id()))
                .last()
                .extracting(RunTransition::reason)
                .isEqualTo("the engine on node-a stopped while the run was running");
        assertThat(runs.find(theirs.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aDeadExecutionOfAQueuedRunIsRetriedAndOfARunningOneIsLost() {
        Run queued = queue("sleeper");
        Run running = lifecycle.start(queue("echo-params"), 1, "node-b").orElseThrow();

        assertThat(executor.deadExecution(queued.id(), "node-c stopped answering"))
                .isTrue();
        assertThat(executor.deadExecution(running.id(), "node-b stopped answering"))
                .isFalse();

        assertThat(runs.find(queued.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(runs.find(running.id()).map(Run::status)).isEqualTo(Optional.of(RunStatus.LOST));
    }

    private Run queue(String workflow) {
        return lifecycle.enqueue(
                workflow,
                Cause.manual("alice"),
                JSON.createObjectNode(),
                null,
                "alice",
                Optional.empty(),
                Admission.ANY);
    }
}
