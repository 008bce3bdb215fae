package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.ansible.ProcessGroup;
import org.fedoraproject.releng.workflow.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link RunRepository} on a real database must do. Subclasses only open the database;
 * {@link Database#open} runs the migrations, so the schema is exercised on each database too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunRepositoryContract {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** More connections than the contention tests have threads, so that they really contend. */
    protected static final int POOL_SIZE = 12;

    private Database database;
    private RunRepository runs;
    /** The lifecycle decides the changes the repository stores; the tests set its time. */
    private RunLifecycle lifecycle;

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);

    /** A freshly migrated database of this class's own. */
    protected abstract Database openDatabase();

    @BeforeAll
    void openRepository() {
        database = openDatabase();
        runs = new JdbcRunRepository(database.jdbi(), JSON, JdbcRunRepository.OutboxWriter.NONE);
        lifecycle = new RunLifecycle(runs, RunAnnouncer.NONE, new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        });
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        database.jdbi().useTransaction(h -> {
            h.execute("delete from run_lock");
            h.execute("delete from run_lock_wanted");
            h.execute("delete from run_transition");
            h.execute("delete from run_message");
            h.execute("delete from run");
            h.execute("delete from workflow_counter");
        });
    }

    @Test
    void numbersCountPerWorkflow() {
        Run a1 = queue("compose");
        Run a2 = queue("compose");
        Run b1 = queue("push-updates");
        Run a3 = queue("compose");
        Run b2 = queue("push-updates");

        assertThat(List.of(a1.number(), a2.number(), a3.number())).containsExactly(1L, 2L, 3L);
        assertThat(List.of(b1.number(), b2.number())).containsExactly(1L, 2L);
        assertThat(List.of(a1.id(), a2.id(), b1.id(), a3.id(), b2.id()))
                .doesNotHaveDuplicates()
                .isSorted();
    }

    @Test
    void createdRunIsQueuedWithWhatItWasGivenAndRecordsItsFirstTransition() {
        ObjectNode parameters =
                JSON.createObjectNode().put("release", "rawhide").put("koji_token", "****");
        parameters.putArray("arches").add("x86_64").add("aarch64");
        Cause cause = new Cause("api", "releng-bot", "jenkins build 12");

        Run run = runs.create(
                new RunRepository.NewRun(
                        "compose", cause, parameters, "sealed-blob", T0, "releng-bot", cause.describe()),
                Optional.empty(),
                Admission.ANY);

        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(run.workflowId()).isEqualTo("compose");
        assertThat(run.cause()).isEqualTo(cause);
        assertThat(run.parameters()).isEqualTo(parameters);
        assertThat(run.queuedAt()).isEqualTo(T0);
        assertThat(run.startedAt()).isNull();
        assertThat(run.finishedAt()).isNull();
        assertThat(run.exitCode()).isNull();
        assertThat(run.node()).isNull();
        assertThat(run.cancelRequested()).isFalse();
        assertThat(runs.sealedSecrets(run.id())).contains("sealed-blob");
        assertThat(runs.transitions(run.id()))
                .containsExactly(new RunTransition(
                        run.id(),
                        null,
                        RunStatus.QUEUED,
                        T0,
                        "releng-bot",
                        "Started through the API by releng-bot (jenkins build 12)"));
    }

    @Test
    void findReturnsTheStoredRunAndNothingForAnUnknownId() {
        Run run = queue("compose");

        assertThat(runs.find(run.id())).contains(run);
        assertThat(runs.find(run.id() + 1000)).isEmpty();
    }

    @Test
    void findByNumberLooksWithinOneWorkflow() {
        Run compose1 = queue("compose");
        Run push1 = queue("push-updates");
        Run compose2 = queue("compose");

        assertThat(runs.findByNumber("compose", 1)).contains(compose1);
        assertThat(runs.findByNumber("compose", 2)).contains(compose2);
        assertThat(runs.findByNumber("push-updates", 1)).contains(push1);
        assertThat(runs.findByNumber("push-updates", 2)).isEmpty();
        assertThat(runs.findByNumber("branch", 1)).isEmpty();
    }

    @Test
    void listPagesNewestFirstWithBefore() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(queue(i % 2 == 0 ? "compose" : "push-updates").id());
        }

        List<Run> first = runs.list(new RunQuery(null, null, 2, null, null));
        assertThat(first).extracting(Run::id).containsExactly(ids.get(4), ids.get(3));
        List<Run> second = runs.list(new RunQuery(null, null, 2, first.get(1).id(), null));
        assertThat(second).extracting(Run::id).containsExactly(ids.get(2), ids.get(1));
        List<Run> last = runs.list(new RunQuery(null, null, 2, second.get(1).id(), null));
        assertThat(last).extracting(Run::id).containsExactly(ids.get(0));
        assertThat(runs.list(new RunQuery(null, null, 2, ids.get(0), null))).isEmpty();
    }

    @Test
    void listFiltersByWorkflowAndStatus() {
        Run composeRunning = start(queue("compose"), "node-a");
        Run composeQueued = queue("compose");
        Run pushRunning = start(queue("push-updates"), "node-a");
        Run composeFailed = finish(start(queue("compose"), "node-a"), RunStatus.FAILED, 2);

        assertThat(runs.list(new RunQuery("compose", null, 10, null, null)))
                .extracting(Run::id)
                .containsExactly(composeFailed.id(), composeQueued.id(), composeRunning.id());
        assertThat(runs.list(new RunQuery(null, Set.of(RunStatus.RUNNING), 10, null, null)))
                .extracting(Run::id)
                .containsExactly(pushRunning.id(), composeRunning.id());
        assertThat(runs.list(new RunQuery("compose", Set.of(RunStatus.RUNNING, RunStatus.FAILED), 10, null, null)))
                .extracting(Run::id)
                .containsExactly(composeFailed.id(), composeRunning.id());
        assertThat(runs.list(new RunQuery("compose", Set.of(RunStatus.SUCCEEDED), 10, null, null)))
                .isEmpty();
    }

    @Test
    void listKeepsToTheAllowedWorkflows() {
        Run compose = queue("compose");
        Run push = queue("push-updates");
        Run branch = queue("branch");

        assertThat(runs.list(new RunQuery(null, null, 10, null, null)))
                .extracting(Run::id)
                .containsExactly(branch.id(), push.id(), compose.id());
        assertThat(runs.list(new RunQuery(null, null, 10, null, Set.of()))).isEmpty();
        assertThat(runs.list(new RunQuery(null, null, 10, null, Set.of("compose", "branch"))))
                .extracting(Run::id)
                .containsExactly(branch.id(), compose.id());
        assertThat(runs.list(new RunQuery("push-updates", null, 10, null, Set.of("compose"))))
                .isEmpty();
    }

    @Test
    void latestByWorkflowGivesTheNewestRunOfEach() {
        queue("compose");
        Run push = queue("push-updates");
        Run compose = finish(start(queue("compose"), "node-a"), RunStatus.SUCCEEDED, 0);

        assertThat(runs.latestByWorkflow()).containsOnlyKeys("compose", "push-updates");
        assertThat(runs.latestByWorkflow().get("compose")).isEqualTo(compose);
        assertThat(runs.latestByWorkflow().get("push-updates")).isEqualTo(push);
    }

    @Test
    void latestByWorkflowIsTheNewestEvenWhenRunsOfOneWorkflowAreCreatedAndFinishedAtOnce() throws Exception {
        List<Run> created = all(8, i -> queue(i % 2 == 0 ? "burst" : "other-burst"));
        List<Run> finished =
                all(created.size(), i -> finish(start(created.get(i), "node-" + i), RunStatus.SUCCEEDED, 0));

        Run newestBurst = finished.stream()
                .filter(r -> r.workflowId().equals("burst"))
                .max(java.util.Comparator.comparingLong(Run::id))
                .orElseThrow();
        assertThat(runs.latestByWorkflow()).containsOnlyKeys("burst", "other-burst");
        assertThat(runs.latestByWorkflow().get("burst")).isEqualTo(newestBurst);
        assertThat(runs.latestByWorkflow().get("burst").number()).isEqualTo(4);
        assertThat(runs.latestByWorkflow().get("other-burst").number()).isEqualTo(4);
    }

    @Test
    void listWalksEachAllowedWorkflowAndStatusAndPagesDeepInThePast() {
        List<Run> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Run run = start(queue(List.of("compose", "push-updates", "branch").get(i % 3)), "node-a");
            all.add(finish(run, i % 4 == 0 ? RunStatus.FAILED : RunStatus.SUCCEEDED, i % 4 == 0 ? 2 : 0));
        }
        long before = all.get(20).id();
        List<Long> expected = all.stream()
                .filter(r -> r.id() < before)
                .filter(r -> !r.workflowId().equals("branch"))
                .filter(r -> r.status() == RunStatus.FAILED)
                .map(Run::id)
                .sorted(java.util.Comparator.reverseOrder())
                .limit(3)
                .toList();

        assertThat(runs.list(new RunQuery(
                        null, Set.of(RunStatus.FAILED, RunStatus.LOST), 3, before, Set.of("compose", "push-updates"))))
                .extracting(Run::id)
                .containsExactlyElementsOf(expected);
        assertThat(runs.list(new RunQuery("compose", Set.of(RunStatus.FAILED), 100, null, null)))
                .extracting(Run::workflowId, Run::status)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("compose", RunStatus.FAILED))
                .hasSize(3);
    }

    @Test
    void transitionAppliesOnlyFromTheExpectedStatus() {
        Run run = queue("compose");

        Optional<Run> started = change(run, RunStatus.QUEUED, RunStatus.RUNNING, 10, "node-a", "picked up");
        Optional<Run> cancelled = change(run, RunStatus.QUEUED, RunStatus.CANCELLED, 11, "alice", "too late");

        assertThat(started).map(Run::status).contains(RunStatus.RUNNING);
        assertThat(started.get().startedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(cancelled).isEmpty();
        assertThat(runs.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(runs.transitions(run.id()))
                .extracting(RunTransition::to, RunTransition::actor, RunTransition::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RunStatus.QUEUED, "alice", "Started by user alice"),
                        org.assertj.core.groups.Tuple.tuple(RunStatus.RUNNING, "node-a", "started on node-a"));
    }

    @Test
    void finishingSetsFinishedAtAndExitCodeAndErasesTheSealedSecrets() {
        Run run = runs.create(
                new RunRepository.NewRun(
                        "compose",
                        Cause.manual("alice"),
                        JSON.createObjectNode(),
                        "sealed-blob",
                        T0,
                        "alice",
                        "Started by user alice"),
                Optional.empty(),
                Admission.ANY);
        change(run, RunStatus.QUEUED, RunStatus.RUNNING, 10, "node-a", "started");
        assertThat(runs.sealedSecrets(run.id())).contains("sealed-blob");

        Run failed = change(run, RunStatus.RUNNING, RunStatus.FAILED, 70, "engine", "ansible-playbook exited with 2", 2)
                .orElseThrow();

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.startedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(failed.finishedAt()).isEqualTo(T0.plusSeconds(70));
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.duration()).contains(Duration.ofSeconds(60));
        assertThat(runs.sealedSecrets(run.id())).isEmpty();
        assertThat(runs.find(run.id())).contains(failed);
    }

    @Test
    void cancellingAQueuedRunFinishesItAndErasesItsSecrets() {
        Run run = runs.create(
                new RunRepository.NewRun(
                        "compose",
                        Cause.manual("alice"),
                        JSON.createObjectNode(),
                        "sealed-blob",
                        T0,
                        "alice",
                        "Started by user alice"),
                Optional.empty(),
                Admission.ANY);

        Run cancelled = change(run, RunStatus.QUEUED, RunStatus.CANCELLED, 5, "bob", "not needed")
                .orElseThrow();

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.startedAt()).isNull();
        assertThat(cancelled.finishedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(cancelled.exitCode()).isNull();
        assertThat(runs.sealedSecrets(run.id())).isEmpty();
    }

    @Test
    void illegalTransitionsThrowAndChangeNothing() {
        Run done = finish(start(queue("compose"), "node-a"), RunStatus.SUCCEEDED, 0);
        int recorded = runs.transitions(done.id()).size();

        assertThatThrownBy(() -> change(done, RunStatus.SUCCEEDED, RunStatus.RUNNING, 99, "alice", "again"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("succeeded")
                .hasMessageContaining("running");
        Run queued = queue("compose");
        assertThatThrownBy(() -> change(queued, RunStatus.QUEUED, RunStatus.SUCCEEDED, 99, "alice", "skip"))
                .isInstanceOf(IllegalTransitionException.class);

        assertThat(runs.find(done.id())).contains(done);
        assertThat(runs.find(queued.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(runs.transitions(done.id())).hasSize(recorded);
        assertThat(runs.transitions(queued.id())).hasSize(1);
    }

    @Test
    void claimStartsAQueuedRunOnTheNode() {
        Run run = queue("compose");

        Run claimed = claim(run.id(), 1, "node-a", T0.plusSeconds(3)).orElseThrow();

        assertThat(claimed.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(claimed.node()).isEqualTo("node-a");
        assertThat(claimed.startedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(runs.transitions(run.id()))
                .last()
                .isEqualTo(new RunTransition(
                        run.id(),
                        RunStatus.QUEUED,
                        RunStatus.RUNNING,
                        T0.plusSeconds(3),
                        "node-a",
                        "started on node-a"));
        assertThat(claim(run.id(), 1, "node-b", T0.plusSeconds(4))).isEmpty();
        assertThat(runs.find(run.id()).orElseThrow().node()).isEqualTo("node-a");
    }

    @Test
    void claimRespectsTheConcurrencyLimit() {
        Run first = queue("compose");
        Run second = queue("compose");
        Run other = queue("push-updates");

        assertThat(claim(first.id(), 1, "node-a", T0.plusSeconds(1))).isPresent();
        assertThat(claim(second.id(), 1, "node-b", T0.plusSeconds(2))).isEmpty();
        assertThat(runs.find(second.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(claim(other.id(), 1, "node-b", T0.plusSeconds(2))).isPresent();

        finish(runs.find(first.id()).orElseThrow(), RunStatus.SUCCEEDED, 0);

        assertThat(claim(second.id(), 1, "node-b", T0.plusSeconds(3)))
                .map(Run::status)
                .contains(RunStatus.RUNNING);
    }

    @Test
    void claimNeverExceedsTheLimitUnderContention() throws Exception {
        for (int round = 0; round < 5; round++) {
            String workflow = "contended-" + round;
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(queue(workflow).id());
            }

            List<Optional<Run>> results = all(ids.size(), i -> claim(ids.get(i), 2, "node-" + i, T0.plusSeconds(5)));

            assertThat(results.stream().filter(Optional::isPresent).count())
                    .as("claims won in round %d", round)
                    .isEqualTo(2);
            assertThat(runs.active(workflow).stream()
                            .filter(r -> r.status() == RunStatus.RUNNING)
                            .count())
                    .isEqualTo(2);
            assertThat(runs.queued(workflow)).hasSize(6);
        }
    }

    @Test
    void aRunClaimedByManyNodesAtOnceRunsOnlyOnTheWinner() throws Exception {
        for (int round = 0; round < 10; round++) {
            long id = queue("contended-" + round).id();

            List<Optional<Run>> results = all(6, i -> claim(id, 10, "node-" + i, T0.plusSeconds(5)));

            List<Run> winners = results.stream().flatMap(Optional::stream).toList();
            assertThat(winners).as("winners in round %d", round).hasSize(1);
            Run stored = runs.find(id).orElseThrow();
            assertThat(stored.node())
                    .as("node of the run in round %d", round)
                    .isEqualTo(winners.get(0).node());
            assertThat(runs.runningOn(stored.node())).extracting(Run::id).contains(id);
            assertThat(runs.transitions(id)).hasSize(2);
        }
    }

    @Test
    void numbersStayUniqueWhenRunsAreCreatedAtOnce() throws Exception {
        List<Run> created = all(8, i -> queue("burst"));

        assertThat(created).extracting(Run::number).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void queuedActiveAndRunningOnListOldestFirst() {
        Run first = queue("compose");
        Run second = queue("compose");
        Run third = queue("compose");
        Run elsewhere = queue("push-updates");
        claim(second.id(), 5, "node-a", T0.plusSeconds(1)).orElseThrow();
        claim(elsewhere.id(), 5, "node-a", T0.plusSeconds(1)).orElseThrow();
        claim(third.id(), 5, "node-b", T0.plusSeconds(1)).orElseThrow();
        Run finished = queue("compose");
        finish(start(finished, "node-a"), RunStatus.SUCCEEDED, 0);

        assertThat(runs.queued("compose")).extracting(Run::id).containsExactly(first.id());
        assertThat(runs.active("compose")).extracting(Run::id).containsExactly(first.id(), second.id(), third.id());
        assertThat(runs.runningOn("node-a")).extracting(Run::id).containsExactly(second.id(), elsewhere.id());
        assertThat(runs.runningOn("node-b")).extracting(Run::id).containsExactly(third.id());
        assertThat(runs.runningOn("node-c")).isEmpty();
        assertThat(runs.queued("branch")).isEmpty();
    }

    @Test
    void requestCancelFlagsTheRunWithoutChangingItsStatus() {
        Run run = start(queue("compose"), "node-a");
        Run untouched = start(queue("compose"), "node-a");

        runs.requestCancel(run.id());

        assertThat(runs.find(run.id()).orElseThrow().cancelRequested()).isTrue();
        assertThat(runs.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(runs.find(untouched.id()).orElseThrow().cancelRequested()).isFalse();
    }

    @Test
    void forgetSecretsErasesThemBeforeTheRunEnds() {
        Run run = runs.create(
                new RunRepository.NewRun(
                        "compose",
                        Cause.manual("alice"),
                        JSON.createObjectNode(),
                        "sealed-blob",
                        T0,
                        "alice",
                        "Started by user alice"),
                Optional.empty(),
                Admission.ANY);

        runs.forgetSecrets(run.id());

        assertThat(runs.sealedSecrets(run.id())).isEmpty();
        assertThat(runs.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void theProcessGroupIsRecordedOnlyForARunRunningOnTheNodeThatRecordsIt() {
        Run run = claim(queue("compose").id(), 1, "node-a", T0.plusSeconds(1)).orElseThrow();
        Run queued = queue("compose");
        ProcessGroup group = new ProcessGroup(4242, "0b1d7e36-3c5e-4d2f-9a4b-5e6f7a8b9c0d/123456");

        assertThat(runs.processGroup(run.id())).isEmpty();
        runs.recordProcessGroup(run.id(), "node-b", group);
        runs.recordProcessGroup(queued.id(), "node-a", group);
        assertThat(runs.processGroup(run.id())).isEmpty();
        assertThat(runs.processGroup(queued.id())).isEmpty();

        runs.recordProcessGroup(run.id(), "node-a", group);

        assertThat(runs.processGroup(run.id())).contains(group);
        assertThat(runs.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void transitionsComeInTheOrderTheyHappened() {
        Run run = queue("compose");
        claim(run.id(), 1, "node-a", T0.plusSeconds(1)).orElseThrow();
        change(run, RunStatus.RUNNING, RunStatus.TIMED_OUT, 1, "engine", "timeout 6h reached")
                .orElseThrow();

        assertThat(runs.transitions(run.id()))
                .containsExactly(
                        new RunTransition(run.id(), null, RunStatus.QUEUED, T0, "alice", "Started by user alice"),
                        new RunTransition(
                                run.id(),
                                RunStatus.QUEUED,
                                RunStatus.RUNNING,
                                T0.plusSeconds(1),
                                "node-a",
                                "started on node-a"),
                        new RunTransition(
                                run.id(),
                                RunStatus.RUNNING,
                                RunStatus.TIMED_OUT,
                                T0.plusSeconds(1),
                                "engine",
                                "timeout 6h reached"));
        assertThat(runs.transitions(run.id() + 1000)).isEmpty();
    }

    @Test
    void messageCausedRunKeepsItsMessageAndTheSameMessageStartsNoSecondRun() throws Exception {
        TriggerMessage message = new TriggerMessage(
                "fedmsg",
                "org.fedoraproject.prod.buildsys.tag",
                "2026-abc",
                JSON.readTree("{\"tag\":\"f42-updates\",\"builds\":[1,2]}"));

        Run run = admit(fromMessage("compose", T0, message), message, java.time.Duration.ZERO);

        assertThat(runs.message(run.id())).contains(message);
        assertThat(runs.message(queue("compose").id())).isEmpty();
        assertThatThrownBy(() ->
                        admit(fromMessage("compose", T0.plusSeconds(5), message), message, java.time.Duration.ZERO))
                .isInstanceOf(DuplicateMessageException.class);
        // the refused run took no number
        assertThat(queue("compose").number()).isEqualTo(3);
        // another workflow may start on the same message
        assertThat(admit(fromMessage("push", T0, message), message, java.time.Duration.ZERO)
                        .number())
                .isEqualTo(1);
    }

    @Test
    void theStoredMessageRefusesASecondRunForItEvenWhenNoRuleAsked() {
        TriggerMessage message = message("m1");
        runs.create(fromMessage("compose", T0, message), Optional.of(message), Admission.ANY);

        // the last guard of the one-run-per-message rule, for a race the admission's read cannot see
        assertThatThrownBy(() -> runs.create(fromMessage("compose", T0, message), Optional.of(message), Admission.ANY))
                .isInstanceOf(DuplicateMessageException.class);
        assertThat(runs.list(new RunQuery("compose", Set.of(), 10, null, null))).hasSize(1);
    }

    @Test
    void anAdmissionThatRefusesStoresNothing() {
        assertThatThrownBy(() -> runs.create(
                        fromMessage("compose", T0, message("m1")), Optional.of(message("m1")), (run, view) -> {
                            throw new RunSkippedException("no");
                        }))
                .isInstanceOf(RunSkippedException.class);

        assertThat(runs.find(queue("compose").id()).orElseThrow().number()).isEqualTo(1);
        assertThat(runs.message(queue("compose").id())).isEmpty();
    }

    @Test
    void throttleRefusesAMessageCausedRunTooSoonAfterThePreviousOne() {
        java.time.Duration throttle = java.time.Duration.ofMinutes(10);
        admit(fromMessage("compose", T0, message("m1")), message("m1"), throttle);
        queue("compose"); // a manual run does not count

        assertThatThrownBy(() ->
                        admit(fromMessage("compose", T0.plusSeconds(599), message("m2")), message("m2"), throttle))
                .isInstanceOf(RunThrottledException.class)
                .hasMessageContaining("10m");
        assertThat(admit(fromMessage("compose", T0.plusSeconds(600), message("m3")), message("m3"), throttle)
                        .number())
                .isEqualTo(3);
    }

    @Test
    void launchOptionsAreKeptWithTheRunThroughItsTransitions() {
        LaunchOptions options = new LaunchOptions(true, false, "compose-x86-*", List.of("sync"), List.of("create"), 2);
        Run queued = runs.create(
                new RunRepository.NewRun(
                        "compose",
                        Cause.manual("alice"),
                        JSON.createObjectNode(),
                        null,
                        T0,
                        "alice",
                        "Started",
                        options),
                Optional.empty(),
                Admission.ANY);
        Run plain = queue("compose");

        assertThat(queued.options()).isEqualTo(options);
        assertThat(plain.options()).isEqualTo(LaunchOptions.NONE);
        Run running = claim(queued.id(), 5, "node-a", T0.plusSeconds(1)).orElseThrow();
        assertThat(running.options()).isEqualTo(options);
        assertThat(runs.find(queued.id()).orElseThrow().options()).isEqualTo(options);
        assertThat(runs.list(new RunQuery("compose", java.util.Set.of(), 10, null, null)).stream()
                        .map(Run::options))
                .containsExactly(LaunchOptions.NONE, options);
    }

    @Test
    void aRunningRunHoldsItsLocksUntilItEnds() {
        Run compose = queue("compose-nightly", "compose");
        Run push = queue("push-updates", "push", "compose");
        Run other = queue("sync", "sync");

        assertThat(runs.locks(push.id())).containsExactly("compose", "push");
        assertThat(claim(compose.id(), 1, "node-a", T0.plusSeconds(1))).isPresent();
        assertThat(claim(push.id(), 1, "node-b", T0.plusSeconds(2))).isEmpty();
        assertThat(claim(other.id(), 1, "node-b", T0.plusSeconds(2)))
                .as("another lock")
                .isPresent();
        assertThat(runs.waitingFor(push.id())).hasValueSatisfying(w -> {
            assertThat(w.lock()).isEqualTo("compose");
            assertThat(w.run().id()).isEqualTo(compose.id());
            assertThat(w.held()).isTrue();
        });
        assertThat(waitingForLocks()).isEqualTo(1);
        assertThat(runs.nextAfter(runs.find(compose.id()).orElseThrow())).containsExactly(push.id());

        finish(runs.find(compose.id()).orElseThrow(), RunStatus.FAILED, 2);

        assertThat(runs.waitingFor(push.id())).isEmpty();
        assertThat(waitingForLocks()).isZero();
        assertThat(claim(push.id(), 1, "node-b", T0.plusSeconds(3))).isPresent();
        Run next = queue("compose-nightly", "compose");
        assertThat(claim(next.id(), 1, "node-a", T0.plusSeconds(4))).isEmpty();
        assertThat(runs.waitingFor(next.id()).map(w -> w.run().id())).contains(push.id());
    }

    @Test
    void aRunThatEndsWakesTheOldestQueuedRunOfItsWorkflowAndOfEachOfItsLocks() {
        Run sync = queue("sync", "compose");
        Run nextSync = queue("sync");
        Run lastSync = queue("sync");
        Run compose = queue("compose-nightly", "compose");
        queue("echo", "push");
        claim(sync.id(), 1, "node-a", T0.plusSeconds(1)).orElseThrow();

        Run ended = finish(runs.find(sync.id()).orElseThrow(), RunStatus.SUCCEEDED, 0);

        // not the younger of its workflow, nor a run wanting another lock
        assertThat(runs.nextAfter(ended)).containsExactly(nextSync.id(), compose.id());
        assertThat(runs.queued("sync")).extracting(Run::id).containsExactly(nextSync.id(), lastSync.id());
    }

    @Test
    void aLostRunReleasesItsLocks() {
        Run compose = queue("compose-nightly", "compose");
        Run push = queue("push-updates", "compose");
        claim(compose.id(), 1, "node-a", T0.plusSeconds(1)).orElseThrow();
        assertThat(claim(push.id(), 1, "node-b", T0.plusSeconds(2))).isEmpty();

        lifecycle.markLost(compose.id(), "node-b", "node-a stopped answering").orElseThrow();

        assertThat(claim(push.id(), 1, "node-b", T0.plusSeconds(3))).isPresent();
    }

    @Test
    void aCancelledQueuedRunReleasesNothingItDidNotHold() {
        Run compose = queue("compose-nightly", "compose");
        Run push = queue("push-updates", "compose");
        Run third = queue("push-stable", "compose");
        claim(compose.id(), 1, "node-a", T0.plusSeconds(1)).orElseThrow();

        change(push, RunStatus.QUEUED, RunStatus.CANCELLED, 2, "alice", "not today")
                .orElseThrow();

        assertThat(claim(third.id(), 1, "node-b", T0.plusSeconds(3))).isEmpty();
        assertThat(runs.waitingFor(third.id()).map(w -> w.run().id())).contains(compose.id());
    }

    @Test
    void theOldestRunWaitingForALockTakesItFirst() {
        Run holder = queue("compose-nightly", "compose");
        claim(holder.id(), 1, "node-a", T0.plusSeconds(1)).orElseThrow();
        Run older = queue("push-updates", "compose");
        Run younger = queue("compose-branched", "compose");
        finish(runs.find(holder.id()).orElseThrow(), RunStatus.SUCCEEDED, 0);

        assertThat(runs.nextAfter(runs.find(holder.id()).orElseThrow())).containsExactly(older.id());
        assertThat(claim(younger.id(), 1, "node-b", T0.plusSeconds(70))).isEmpty();
        assertThat(runs.waitingFor(younger.id())).hasValueSatisfying(w -> {
            assertThat(w.run().id()).isEqualTo(older.id());
            assertThat(w.held()).isFalse();
        });
        assertThat(claim(older.id(), 1, "node-a", T0.plusSeconds(71))).isPresent();
    }

    @Test
    void runsOfManyWorkflowsSharingALockNeverRunTogether() throws Exception {
        for (int round = 0; round < 5; round++) {
            String lock = "lock-" + round;
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(queue("w" + round + "-" + i, lock).id());
            }

            List<Optional<Run>> results = all(ids.size(), i -> claim(ids.get(i), 1, "node-" + i, T0.plusSeconds(5)));

            assertThat(results.stream().filter(Optional::isPresent).count())
                    .as("claims won in round %d", round)
                    .isEqualTo(1);
            assertThat(ids.stream()
                            .map(id -> runs.find(id).orElseThrow().status())
                            .filter(s -> s == RunStatus.RUNNING)
                            .count())
                    .isEqualTo(1);
        }
    }

    /** What /metrics reads as releng_runs_waiting_for_lock. */
    private int waitingForLocks() {
        return database.jdbi().withHandle(org.fedoraproject.releng.workflow.lock.JdbcLocks::waiting);
    }

    private Run queue(String workflow, String... locks) {
        return runs.create(
                new RunRepository.NewRun(
                        workflow,
                        Cause.manual("alice"),
                        JSON.createObjectNode(),
                        null,
                        T0,
                        "alice",
                        "Started by user alice",
                        LaunchOptions.NONE,
                        RunStatus.QUEUED,
                        List.of(locks)),
                Optional.empty(),
                Admission.ANY);
    }

    private static TriggerMessage message(String id) {
        return new TriggerMessage(
                "amqp",
                "org.fedoraproject.prod.pungi.compose.status.change",
                id,
                JSON.createObjectNode().put("status", "FINISHED"));
    }

    private static RunRepository.NewRun fromMessage(String workflow, Instant at, TriggerMessage m) {
        return new RunRepository.NewRun(
                workflow,
                new Cause("message", null, m.topic() + " " + m.id()),
                JSON.createObjectNode(),
                null,
                at,
                m.bus(),
                "Started by message");
    }

    @Test
    void aBiggerPageAfterASmallerOneOfTheSameFilterHasAllItsRuns() {
        Run older = finish(start(queue("push"), "node-a"), RunStatus.FAILED, 1);
        finish(start(queue("compose"), "node-a"), RunStatus.SUCCEEDED, 0);
        Run newer = finish(start(queue("push"), "node-a"), RunStatus.FAILED, 1);
        Set<String> visible = Set.of("compose", "push");
        RunQuery one = new RunQuery(null, Set.of(RunStatus.FAILED), 1, null, visible);
        RunQuery all = new RunQuery(null, Set.of(RunStatus.FAILED), 500, null, visible);

        assertThat(runs.list(one)).extracting(Run::id).containsExactly(newer.id());
        // the same query with only a larger limit: H2 once answered it from the smaller one's rows
        assertThat(runs.list(all)).extracting(Run::id).containsExactly(newer.id(), older.id());
    }

    private Run admit(RunRepository.NewRun run, TriggerMessage message, Duration throttle) {
        return runs.create(run, Optional.of(message), RunLifecycle.messageRules(message, throttle));
    }

    private Run queue(String workflow) {
        return runs.create(
                new RunRepository.NewRun(
                        workflow,
                        Cause.manual("alice"),
                        JSON.createObjectNode(),
                        null,
                        T0,
                        "alice",
                        "Started by user alice"),
                Optional.empty(),
                Admission.ANY);
    }

    /** As an executor claims: a run it finds no longer queued is not its to start. */
    private Optional<Run> claim(long runId, int limit, String node, Instant at) {
        now.set(at);
        Run run = runs.find(runId).orElseThrow();
        return run.status() == RunStatus.QUEUED ? lifecycle.start(run, limit, node) : Optional.empty();
    }

    private Run start(Run run, String node) {
        return change(run, RunStatus.QUEUED, RunStatus.RUNNING, 1, node, "started on " + node)
                .orElseThrow();
    }

    private Run finish(Run run, RunStatus status, Integer exitCode) {
        return change(run, RunStatus.RUNNING, status, 60, "engine", "finished", exitCode)
                .orElseThrow();
    }

    private Optional<Run> change(Run run, RunStatus from, RunStatus to, int second, String actor, String reason) {
        return change(run, from, to, second, actor, reason, null);
    }

    /** The lifecycle's verb for the change, on the run as the caller last saw it (in {@code from}). */
    private Optional<Run> change(
            Run run, RunStatus from, RunStatus to, int second, String actor, String reason, Integer exitCode) {
        now.set(T0.plusSeconds(second));
        Run stored = runs.find(run.id()).orElse(run);
        Run seen = new Run(
                run.id(),
                run.workflowId(),
                run.number(),
                from,
                run.cause(),
                run.parameters(),
                run.queuedAt(),
                stored.startedAt(),
                stored.finishedAt(),
                stored.exitCode(),
                stored.node(),
                stored.cancelRequested(),
                run.options());
        if (to == RunStatus.RUNNING) {
            return lifecycle.start(seen, Integer.MAX_VALUE, actor);
        }
        if (to == RunStatus.CANCELLED && from != RunStatus.RUNNING) {
            return lifecycle.cancel(seen, actor, reason);
        }
        if (to == RunStatus.FAILED && from == RunStatus.QUEUED) {
            return lifecycle.failBeforeStart(seen, actor, reason);
        }
        return lifecycle.finish(seen, to, actor, reason, exitCode);
    }

    private interface Task<T> {
        T call(int index);
    }

    /** Runs {@code n} tasks released at the same moment and returns their results in task order. */
    private static <T> List<T> all(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> call = () -> {
                    ready.countDown();
                    go.await();
                    return task.call(index);
                };
                futures.add(pool.submit(call));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS))
                    .as("all threads ready")
                    .isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
