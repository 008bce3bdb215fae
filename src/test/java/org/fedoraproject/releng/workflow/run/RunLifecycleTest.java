package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedoraproject.releng.workflow.run.RunStatus.CANCELLED;
import static org.fedoraproject.releng.workflow.run.RunStatus.FAILED;
import static org.fedoraproject.releng.workflow.run.RunStatus.LOST;
import static org.fedoraproject.releng.workflow.run.RunStatus.QUEUED;
import static org.fedoraproject.releng.workflow.run.RunStatus.REJECTED;
import static org.fedoraproject.releng.workflow.run.RunStatus.RUNNING;
import static org.fedoraproject.releng.workflow.run.RunStatus.SUCCEEDED;
import static org.fedoraproject.releng.workflow.run.RunStatus.TIMED_OUT;
import static org.fedoraproject.releng.workflow.run.RunStatus.WAITING_APPROVAL;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.fedoraproject.releng.workflow.ansible.LaunchOptions;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;

/** The whole transition table, and what each change records, without a database. */
class RunLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456Z");

    /** The table as the design states it, written out rather than read back from {@link RunStatus}. */
    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            WAITING_APPROVAL, EnumSet.of(QUEUED, REJECTED, CANCELLED),
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, LOST),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            TIMED_OUT, EnumSet.noneOf(RunStatus.class),
            LOST, EnumSet.noneOf(RunStatus.class),
            REJECTED, EnumSet.noneOf(RunStatus.class));

    private final SettableClock clock = SettableClock.frozenAt(T0);
    private final InMemoryRunRepository runs = new InMemoryRunRepository();
    private final RecordingRunAnnouncer announcer = new RecordingRunAnnouncer();
    private final RunLifecycle lifecycle = new RunLifecycle(runs, announcer, clock);

    /** Announces every change with its new status as topic, and notes what was committed. */
    private static final class RecordingRunAnnouncer implements RunAnnouncer {
        final List<Run> committed = new ArrayList<>();

        @Override
        public List<Announcement> announce(Run after, Supplier<Optional<TriggerMessage>> startedBy) {
            return List.of(new Announcement(
                    "m-" + after.id() + "-" + after.status().id(),
                    after.status().id(),
                    JsonNodeFactory.instance.objectNode().put("finished_at", String.valueOf(after.finishedAt())),
                    Instant.EPOCH,
                    List.of()));
        }

        @Override
        public void committed(Run run) {
            committed.add(run);
        }
    }

    @Test
    void everyChangeOfTheTableIsAllowedAndEveryOtherRefused() {
        assertThat(ALLOWED.keySet()).containsExactlyInAnyOrder(RunStatus.values());
        for (RunStatus from : RunStatus.values()) {
            for (RunStatus to : RunStatus.values()) {
                Run run = runs.put(run(100 + from.ordinal() * 20 + to.ordinal(), from));
                String pair = from.id() + " -> " + to.id();
                if (ALLOWED.get(from).contains(to)) {
                    assertThat(change(run, to)).as(pair).map(Run::status).contains(to);
                    assertThat(runs.transitions(run.id()))
                            .as(pair)
                            .extracting(RunTransition::from, RunTransition::to)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple(from, to));
                } else {
                    assertThatThrownBy(() -> change(run, to)).as(pair).isInstanceOf(IllegalTransitionException.class);
                    assertThat(runs.find(run.id())).as(pair).contains(run);
                    assertThat(runs.transitions(run.id())).as(pair).isEmpty();
                }
                assertThat(from.canBecome(to))
                        .as(pair)
                        .isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void finalStatusesAreExactlyThoseWithNoWayOut() {
        for (RunStatus s : RunStatus.values()) {
            assertThat(s.isFinal()).as(s.id()).isEqualTo(ALLOWED.get(s).isEmpty());
        }
        assertThat(REJECTED.isFinal()).isTrue();
        assertThat(WAITING_APPROVAL.isFinal()).isFalse();
    }

    @Test
    void enqueueRecordsTheFirstTransitionWithTheCauseAsReason() {
        clock.advance(Duration.ofNanos(789));

        Run run = queue("compose", "sealed");

        assertThat(run.status()).isEqualTo(QUEUED);
        assertThat(run.queuedAt()).isEqualTo(T0);
        assertThat(runs.transitions(run.id()))
                .containsExactly(new RunTransition(run.id(), null, QUEUED, T0, "alice", "Started by user alice"));
        assertThat(announcer.committed).containsExactly(run);
    }

    @Test
    void startRecordsTheNodeTheTimeAndAnnouncesTheRunAsItBecame() {
        Run queued = queue("compose", "sealed");
        clock.advance(Duration.ofSeconds(3));

        Run started = lifecycle.start(queued, 1, "node-a").orElseThrow();

        assertThat(started.status()).isEqualTo(RUNNING);
        assertThat(started.node()).isEqualTo("node-a");
        assertThat(started.startedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(started.finishedAt()).isNull();
        assertThat(runs.sealedSecrets(started.id())).contains("sealed");
        assertThat(runs.transitions(started.id()))
                .last()
                .isEqualTo(new RunTransition(
                        started.id(), QUEUED, RUNNING, T0.plusSeconds(3), "node-a", "started on node-a"));
        assertThat(runs.announced()).extracting(a -> a.announcement().topic()).containsExactly("running");
        assertThat(announcer.committed).last().isEqualTo(started);
    }

    @Test
    void startBeyondTheConcurrencyLimitChangesNothing() {
        lifecycle.start(queue("compose", null), 1, "node-a").orElseThrow();
        Run second = queue("compose", null);
        int committed = announcer.committed.size();

        assertThat(lifecycle.start(second, 1, "node-b")).isEmpty();

        assertThat(runs.find(second.id()).orElseThrow().status()).isEqualTo(QUEUED);
        assertThat(runs.transitions(second.id())).hasSize(1);
        assertThat(announcer.committed).hasSize(committed);
    }

    @Test
    void finishRecordsExitCodeAndEndAndWipesTheSecrets() {
        Run started = lifecycle.start(queue("compose", "sealed"), 1, "node-a").orElseThrow();
        clock.advance(Duration.ofSeconds(60));

        Run failed =
                lifecycle.finish(started, FAILED, "node-a", "exit code 2", 2).orElseThrow();

        assertThat(failed.finishedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(failed.startedAt()).isEqualTo(T0);
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.node()).isEqualTo("node-a");
        assertThat(runs.sealedSecrets(failed.id())).isEmpty();
        assertThat(runs.transitions(failed.id()))
                .last()
                .isEqualTo(
                        new RunTransition(failed.id(), RUNNING, FAILED, T0.plusSeconds(60), "node-a", "exit code 2"));
        assertThat(runs.announced())
                .last()
                .extracting(a -> a.announcement().body().get("finished_at").asText())
                .isEqualTo(T0.plusSeconds(60).toString());
    }

    @Test
    void aReasonLongerThanTheHistoryKeepsIsCut() {
        Run started = lifecycle.start(queue("compose", null), 1, "node-a").orElseThrow();

        lifecycle.finish(started, FAILED, "node-a", "x".repeat(5000), null);

        assertThat(runs.transitions(started.id()))
                .last()
                .extracting(RunTransition::reason)
                .isEqualTo("x".repeat(RunLifecycle.REASON_SIZE));
    }

    @Test
    void cancellingAQueuedRunEndsItAtOnceAndWipesItsSecrets() {
        Run queued = queue("compose", "sealed");
        clock.advance(Duration.ofSeconds(5));

        Run cancelled = lifecycle.cancel(queued, "bob", "not needed").orElseThrow();

        assertThat(cancelled.status()).isEqualTo(CANCELLED);
        assertThat(cancelled.startedAt()).isNull();
        assertThat(cancelled.finishedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(runs.sealedSecrets(queued.id())).isEmpty();
        assertThat(runs.transitions(queued.id()))
                .last()
                .extracting(RunTransition::actor, RunTransition::reason)
                .containsExactly("bob", "not needed");
    }

    @Test
    void aRunningRunIsAskedToStopRatherThanCancelledOnTheSpot() {
        Run started = lifecycle.start(queue("compose", null), 1, "node-a").orElseThrow();

        assertThatThrownBy(() -> lifecycle.cancel(started, "bob", "stop"))
                .isInstanceOf(IllegalTransitionException.class);
        lifecycle.requestCancel(started.id());

        assertThat(runs.find(started.id()).orElseThrow())
                .extracting(Run::status, Run::cancelRequested)
                .containsExactly(RUNNING, true);
    }

    @Test
    void aChangeSomeoneElseMadeFirstIsNotStoredNorAnnounced() {
        Run queued = queue("compose", "sealed");
        lifecycle.start(queued, 1, "node-a").orElseThrow();
        int announced = runs.announced().size();
        int committed = announcer.committed.size();

        // the caller still holds the run as queued
        assertThat(lifecycle.cancel(queued, "bob", "too late")).isEmpty();

        assertThat(runs.find(queued.id()).orElseThrow().status()).isEqualTo(RUNNING);
        assertThat(runs.announced()).hasSize(announced);
        assertThat(announcer.committed).hasSize(committed);
    }

    @Test
    void markLostEndsOnlyARunningRun() {
        Run started = lifecycle.start(queue("compose", "sealed"), 1, "node-a").orElseThrow();
        Run queued = queue("compose", null);

        Run lost = lifecycle
                .markLost(started.id(), "node-a", "the engine on node-a stopped")
                .orElseThrow();

        assertThat(lost.status()).isEqualTo(LOST);
        assertThat(runs.sealedSecrets(lost.id())).isEmpty();
        assertThat(lifecycle.markLost(queued.id(), "node-a", "no")).isEmpty();
        assertThat(lifecycle.markLost(lost.id(), "node-a", "again")).isEmpty();
        assertThat(lifecycle.markLost(9999, "node-a", "unknown")).isEmpty();
        assertThat(runs.transitions(lost.id())).hasSize(3);
    }

    @Test
    void failBeforeStartEndsAQueuedRunThatNeverRan() {
        Run queued = queue("compose", "sealed");

        Run failed = lifecycle
                .failBeforeStart(queued, "node-a", "workflow `compose` is no longer in the catalog")
                .orElseThrow();

        assertThat(failed.status()).isEqualTo(FAILED);
        assertThat(failed.startedAt()).isNull();
        assertThat(failed.exitCode()).isNull();
        assertThat(runs.sealedSecrets(failed.id())).isEmpty();
    }

    @Test
    void anApprovedRunJoinsTheQueueKeepingItsSecretsAndARejectedOneEnds() {
        Run waiting = runs.put(run(1, WAITING_APPROVAL));
        Run other = runs.put(run(2, WAITING_APPROVAL));

        Run approved = lifecycle.approve(waiting, "carol", "looks right").orElseThrow();
        Run rejected = lifecycle.reject(other, "carol", "wrong release").orElseThrow();

        assertThat(approved.status()).isEqualTo(QUEUED);
        assertThat(approved.finishedAt()).isNull();
        assertThat(rejected.status()).isEqualTo(REJECTED);
        assertThat(rejected.finishedAt()).isEqualTo(T0);
        assertThatThrownBy(() -> lifecycle.approve(rejected, "carol", "changed my mind"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("w2 #1 (run 2) is rejected and cannot become queued");
    }

    @Test
    void aMessageStartsOneRunPerWorkflowAndNotSoonerThanTheThrottle() {
        Duration throttle = Duration.ofMinutes(10);
        TriggerMessage first = message("m1");
        byMessage("compose", first, throttle);

        assertThatThrownBy(() -> byMessage("compose", first, Duration.ZERO))
                .isInstanceOf(DuplicateMessageException.class);
        assertThat(byMessage("push", first, throttle).number()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(599));
        assertThatThrownBy(() -> byMessage("compose", message("m2"), throttle))
                .isInstanceOf(RunThrottledException.class)
                .hasMessageContaining("10m");
        queue("compose", null);
        clock.advance(Duration.ofSeconds(1));
        assertThat(byMessage("compose", message("m3"), throttle).number()).isEqualTo(3);
        assertThat(runs.message(3)).isEmpty();
    }

    /** The verb that makes {@code to} from the run's status; each refuses what the table refuses. */
    private Optional<Run> change(Run run, RunStatus to) {
        return switch (to) {
            case WAITING_APPROVAL -> throw new IllegalTransitionException("nothing makes a run wait for approval yet");
            case QUEUED -> lifecycle.approve(run, "carol", "approved");
            case RUNNING -> lifecycle.start(run, 10, "node-a");
            case REJECTED -> lifecycle.reject(run, "carol", "rejected");
            case CANCELLED ->
                run.status() == RUNNING
                        ? lifecycle.finish(run, to, "bob", "cancelled", null)
                        : lifecycle.cancel(run, "bob", "cancelled");
            case FAILED ->
                run.status() == QUEUED
                        ? lifecycle.failBeforeStart(run, "node-a", "broke")
                        : lifecycle.finish(run, to, "node-a", "exit 2", 2);
            case SUCCEEDED, TIMED_OUT, LOST -> lifecycle.finish(run, to, "node-a", "ended", 0);
        };
    }

    private Run queue(String workflow, String sealed) {
        return lifecycle.enqueue(
                workflow,
                Cause.manual("alice"),
                JsonNodeFactory.instance.objectNode(),
                sealed,
                "alice",
                Optional.empty(),
                Admission.ANY);
    }

    private Run byMessage(String workflow, TriggerMessage m, Duration throttle) {
        return lifecycle.enqueue(
                workflow,
                new Cause("message", null, m.topic() + " " + m.id()),
                JsonNodeFactory.instance.objectNode(),
                null,
                m.bus(),
                Optional.of(m),
                RunLifecycle.messageRules(m, throttle));
    }

    private static TriggerMessage message(String id) {
        return new TriggerMessage(
                "amqp",
                "org.fedoraproject.prod.pungi.compose.status.change",
                id,
                JsonNodeFactory.instance.objectNode());
    }

    private static Run run(long id, RunStatus status) {
        boolean started = status != WAITING_APPROVAL && status != QUEUED && status != REJECTED;
        return new Run(
                id,
                "w" + id,
                1,
                status,
                Cause.manual("alice"),
                JsonNodeFactory.instance.objectNode(),
                T0,
                started ? T0 : null,
                status.isFinal() ? T0 : null,
                null,
                started ? "node-a" : null,
                false,
                LaunchOptions.NONE);
    }
}
