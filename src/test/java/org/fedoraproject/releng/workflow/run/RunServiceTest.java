package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

/** Starting and cancelling runs, with the concurrency policies, on an in-memory repository. */
class RunServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryRunRepository runs = new InMemoryRunRepository();
    private final RecordingDispatch dispatch = new RecordingDispatch();
    private RunLifecycle lifecycle;
    private RunService service;

    /** Notes what it was asked; runs nothing. */
    private static final class RecordingDispatch implements Dispatch {
        final List<Long> dispatched = new ArrayList<>();
        final List<Long> forgotten = new ArrayList<>();

        @Override
        public void dispatch(long runId) {
            dispatched.add(runId);
        }

        @Override
        public void wake(long runId) {}

        @Override
        public void forget(long runId) {
            forgotten.add(runId);
        }
    }

    @BeforeEach
    void wire() {
        Path catalogDir = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalogDir);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("lock-workflows"), catalogDir);
        CatalogService catalog = new CatalogService(new CatalogLoader(catalogDir, clock));
        catalog.reload();
        SecretSealer sealer = SecretSealer.fromKeyFile(dir.resolve("secrets.key"));
        lifecycle = new RunLifecycle(runs, RunAnnouncer.NONE, clock);
        RunExecutor executor = new RunExecutor(
                catalog,
                runs,
                lifecycle,
                new FileLogStore(dir.resolve("logs")),
                sealer,
                new PlaybookRunner(new LocalProcessLauncher(), "ansible-playbook", Duration.ofSeconds(1), clock),
                "node-a",
                Duration.ofMinutes(5),
                dir.resolve("runs"),
                run -> "http://engine/runs/" + run.id());
        service = new RunService(catalog, runs, lifecycle, sealer, dispatch, executor);
    }

    @Test
    void aTriggeredRunIsQueuedWithItsDefaultsAndDispatched() {
        Run run = service.trigger("skip-when-busy", null, Cause.manual("alice"), "alice");

        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(run.parameters().get("seconds").asInt()).isEqualTo(30);
        assertThat(dispatch.dispatched).containsExactly(run.id());
        assertThat(service.transitions(run.id()))
                .extracting(RunTransition::actor)
                .containsExactly("alice");
    }

    @Test
    void aRunKeepsItsWorkflowsLocksAndThoseItsCallerAdds() {
        Run plain = service.trigger("push-marks", marks(), Cause.manual("alice"), "alice");
        Run step = service.trigger(
                "push-marks", marks(), null, List.of("koji-tag", "push"), new Cause("chain", null, "x"), "engine");

        assertThat(runs.locks(plain.id())).containsExactly("compose", "push");
        assertThat(runs.locks(step.id())).containsExactly("compose", "koji-tag", "push");
        assertThatThrownBy(() -> service.trigger(
                        "push-marks", marks(), null, List.of("Koji Tag"), Cause.manual("alice"), "alice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`Koji Tag` is not a lock name");
    }

    private ObjectNode marks() {
        return new ObjectMapper().createObjectNode().put("marks", "/dev/null");
    }

    @Test
    void skipPolicyRefusesARunWhileOneIsActive() {
        Run first = service.trigger("skip-when-busy", null, Cause.manual("alice"), "alice");

        assertThatThrownBy(() -> service.trigger("skip-when-busy", null, Cause.manual("bob"), "bob"))
                .isInstanceOf(RunSkippedException.class)
                .hasMessageContaining(first.displayName());
        assertThat(dispatch.dispatched).containsExactly(first.id());
    }

    @Test
    void cancelOlderPolicyCancelsTheRunsANewOneSupersedes() {
        Run older = service.trigger("replace-older", null, Cause.manual("alice"), "alice");

        Run newer = service.trigger("replace-older", null, Cause.manual("bob"), "bob");

        assertThat(service.find(older.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(service.transitions(older.id()))
                .last()
                .extracting(RunTransition::actor, RunTransition::reason)
                .containsExactly("engine", "superseded by replace-older #2 (policy cancel-older)");
        assertThat(dispatch.forgotten).containsExactly(older.id());
        assertThat(service.find(newer.id()).status()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void cancellingAQueuedRunEndsItAndItsDispatch() {
        Run run = service.trigger("skip-when-busy", null, Cause.manual("alice"), "alice");

        Run cancelled = service.cancel(run.id(), "bob", "not needed");

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(dispatch.forgotten).containsExactly(run.id());
    }

    @Test
    void cancellingARunningRunAsksItToStop() {
        Run run = service.trigger("skip-when-busy", null, Cause.manual("alice"), "alice");
        lifecycle.start(run, 1, "node-b").orElseThrow();

        Run asked = service.cancel(run.id(), "bob", "stop it");

        assertThat(asked.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(asked.cancelRequested()).isTrue();
        assertThat(dispatch.forgotten).isEmpty();
    }

    @Test
    void cancellingAFinishedRunIsRefused() {
        Run run = service.trigger("skip-when-busy", null, Cause.manual("alice"), "alice");
        Run started = lifecycle.start(run, 1, "node-a").orElseThrow();
        lifecycle.finish(started, RunStatus.SUCCEEDED, "node-a", null, 0).orElseThrow();

        assertThatThrownBy(() -> service.cancel(run.id(), "bob", "late"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("skip-when-busy #1 (run 1) is succeeded and cannot become cancelled");
    }

    @Test
    void aMessageStartsOneRunOfAWorkflowAndTheRunKeepsIt() {
        ObjectNode body = JSON.createObjectNode().put("tag", "f42");
        TriggerMessage message = new TriggerMessage("fedmsg", "org.fedoraproject.prod.buildsys.tag", "m-1", body);

        Run run = service.triggerByMessage("replace-older", message, Duration.ZERO);

        assertThat(run.cause().type()).isEqualTo("message");
        assertThat(service.message(run.id())).contains(message);
        assertThatThrownBy(() -> service.triggerByMessage("replace-older", message, Duration.ZERO))
                .isInstanceOf(DuplicateMessageException.class);
    }
}
