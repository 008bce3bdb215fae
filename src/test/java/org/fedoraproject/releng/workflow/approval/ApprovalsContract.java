package org.fedoraproject.releng.workflow.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.catalog.ApprovalRule;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Dispatch;
import org.fedoraproject.releng.workflow.run.IllegalTransitionException;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunAnnouncer;
import org.fedoraproject.releng.workflow.run.RunLifecycle;
import org.fedoraproject.releng.workflow.run.RunRepository;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.fedoraproject.releng.workflow.run.TriggerMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Decisions on a real database, with the real lifecycle: people deciding at the same moment take
 * turns, a run leaves waiting exactly once and is dispatched exactly once, and the sweep times out
 * what passed its deadline. Subclasses only open the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApprovalsContract {

    protected static final int POOL_SIZE = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Database database;
    private RunRepository runs;
    private RunLifecycle lifecycle;
    private ApprovalService service;
    private final ConcurrentHashMap<Long, Integer> dispatched = new ConcurrentHashMap<>();
    private volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

    protected abstract Database openDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
        runs = new JdbcRunRepository(database.jdbi(), JSON, JdbcRunRepository.OutboxWriter.NONE);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        lifecycle = new RunLifecycle(runs, RunAnnouncer.NONE, clock);
        Dispatch dispatch = new Dispatch() {
            @Override
            public void dispatch(long runId) {
                dispatched.merge(runId, 1, Integer::sum);
            }

            @Override
            public void forget(long runId) {}

            @Override
            public void wake(long runId) {}
        };
        service = new ApprovalService(
                new JdbcApprovals(database.jdbi(), JdbcRunRepository.OutboxWriter.NONE),
                runs,
                lifecycle,
                dispatch,
                null,
                null,
                () -> {},
                clock);
    }

    @AfterAll
    void close() {
        database.close();
    }

    static Principal person(String name) {
        return new Principal(Principal.Kind.USER, name, Set.of("approvers"));
    }

    private Run waiting(int count, Duration timeout) {
        Run run = lifecycle.enqueue(
                "freeze-push",
                Cause.manual("alice"),
                JSON.createObjectNode(),
                LaunchOptions.NONE,
                "sealed-secret-blob",
                "alice",
                Optional.<TriggerMessage>empty(),
                org.fedoraproject.releng.workflow.run.Admission.ANY,
                true);
        service.open(run, new ApprovalRule(count, timeout, List.of(), List.of()), person("alice"));
        return run;
    }

    @Test
    void twoApproversAtOnceOnCountTwoStartTheRunExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 10; i++) {
                Run run = waiting(2, Duration.ofHours(1));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Run>> decided = new ArrayList<>();
                for (String who : List.of("bob", "dave")) {
                    decided.add(pool.submit(() -> {
                        go.await();
                        return service.decide(run.id(), person(who), true, Verdict.APPROVED, "ok");
                    }));
                }
                go.countDown();
                for (Future<Run> f : decided) {
                    f.get();
                }

                assertThat(runs.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
                assertThat(dispatched.get(run.id())).isEqualTo(1);
                assertThat(runs.transitions(run.id()))
                        .filteredOn(t -> t.to() == RunStatus.QUEUED)
                        .hasSize(1);
                assertThat(runs.sealedSecrets(run.id())).contains("sealed-secret-blob");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoApproversAtOnceOnCountOneOneWinsTheOtherIsTooLate() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 10; i++) {
                Run run = waiting(1, Duration.ofHours(1));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> decided = new ArrayList<>();
                for (String who : List.of("bob", "dave")) {
                    decided.add(pool.submit(() -> {
                        go.await();
                        try {
                            service.decide(run.id(), person(who), true, Verdict.APPROVED, null);
                            return "approved";
                        } catch (IllegalTransitionException e) {
                            return "conflict";
                        }
                    }));
                }
                go.countDown();
                List<String> outcomes = new ArrayList<>();
                for (Future<String> f : decided) {
                    outcomes.add(f.get());
                }

                assertThat(outcomes).containsExactlyInAnyOrder("approved", "conflict");
                assertThat(dispatched.get(run.id())).isEqualTo(1);
                assertThat(service.of(run.id()).orElseThrow().decisions()).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondDecisionBySomeoneIsAConflictAndTheStarterIsRefused() {
        Run run = waiting(2, Duration.ofHours(1));
        service.decide(run.id(), person("bob"), true, Verdict.APPROVED, "yes");

        assertThatThrownBy(() -> service.decide(run.id(), person("bob"), true, Verdict.DENIED, "changed my mind"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("bob has already decided");
        assertThatThrownBy(() -> service.decide(run.id(), person("alice"), true, Verdict.APPROVED, null))
                .isInstanceOf(ApprovalRefusedException.class)
                .hasMessageContaining("never decided by its own starter");
        assertThatThrownBy(() -> service.decide(run.id(), person("carol"), false, Verdict.APPROVED, null))
                .isInstanceOf(ApprovalRefusedException.class)
                .hasMessageContaining("needs the `approve` permission");
        assertThat(runs.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    }

    @Test
    void theSweepRejectsWhatPassedItsDeadlineAndWipesItsSecrets() {
        Run late = waiting(1, Duration.ofMinutes(10));
        Run inTime = waiting(1, Duration.ofHours(10));
        now = now.plus(Duration.ofMinutes(11));

        service.sweep();

        assertThat(runs.find(late.id()).orElseThrow().status()).isEqualTo(RunStatus.REJECTED);
        assertThat(runs.sealedSecrets(late.id()).orElse(null)).isNull();
        assertThat(service.of(late.id()).orElseThrow().decisions())
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.by()).isEqualTo("engine");
                    assertThat(d.verdict()).isEqualTo(Verdict.TIMED_OUT);
                });
        assertThat(runs.find(inTime.id()).orElseThrow().status()).isEqualTo(RunStatus.WAITING_APPROVAL);
        assertThat(dispatched).doesNotContainKey(late.id());
    }
}
