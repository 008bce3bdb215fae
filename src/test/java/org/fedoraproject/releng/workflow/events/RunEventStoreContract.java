package org.fedoraproject.releng.workflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.fedoraproject.releng.workflow.run.RunRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What every {@link RunEventStore} on a real database must do; subclasses open the database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunEventStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T03:00:00.123456Z");

    private Database database;
    private RunEventStore store;
    private RunRepository runs;

    protected abstract Database openDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
        store = new JdbcRunEventStore(database.jdbi());
        runs = new JdbcRunRepository(database.jdbi(), JSON, JdbcRunRepository.OutboxWriter.NONE);
    }

    @AfterAll
    void close() {
        database.close();
    }

    private long newRun() {
        return runs.create(
                        new RunRepository.NewRun(
                                "events", Cause.api("bot"), JSON.createObjectNode(), null, T0, "bot", "queued"),
                        java.util.Optional.empty(),
                        org.fedoraproject.releng.workflow.run.Admission.ANY)
                .id();
    }

    private static RunEvent event(
            long run, int seq, String type, String task, String host, boolean failed, Integer line) {
        return new RunEvent(
                run,
                seq,
                type,
                T0.plusSeconds(seq),
                "Play",
                task,
                task == null ? null : "id-" + task,
                task == null ? null : "playbooks/p.yml:" + seq,
                null,
                host,
                "ansible.builtin.command",
                type.equals("runner_on_ok") && seq % 2 == 0,
                failed,
                false,
                null,
                10L * seq,
                line,
                type.startsWith("runner") ? "{\"rc\":" + (failed ? 1 : 0) + "}" : null);
    }

    @Test
    void eventsComeBackInOrderPagedAndFiltered() {
        long run = newRun();
        store.open(run);
        List<RunEvent> events = new ArrayList<>();
        int seq = 0;
        for (int t = 0; t < 50; t++) {
            events.add(event(run, ++seq, "playbook_on_task_start", "t" + t, null, false, seq));
            events.add(event(run, ++seq, "runner_on_ok", "t" + t, "a", false, seq));
            events.add(event(run, ++seq, t == 7 ? "runner_on_failed" : "runner_on_ok", "t" + t, "b", t == 7, seq));
        }
        store.append(events.subList(0, 100));
        store.append(events.subList(100, events.size()));

        List<RunEvent> first = store.page(new EventQuery(run, 0, 10, null, null, null));
        assertThat(first).extracting(RunEvent::seq).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(first.get(1)).isEqualTo(events.get(1));
        assertThat(store.page(new EventQuery(run, 145, 10, null, null, null)))
                .extracting(RunEvent::seq)
                .containsExactly(146, 147, 148, 149, 150);
        assertThat(store.page(new EventQuery(run, 0, 1000, null, "b", null))).hasSize(50);
        assertThat(store.page(new EventQuery(run, 0, 1000, null, null, true)))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.task()).isEqualTo("t7");
                    assertThat(e.result()).isEqualTo("{\"rc\":1}");
                });
        assertThat(store.page(new EventQuery(run, 0, 1000, "playbook_on_task_start", null, null)))
                .hasSize(50);
        assertThat(store.page(new EventQuery(newRun(), 0, 10, null, null, null)))
                .isEmpty();
    }

    @Test
    void tasksAddUpTheirHostsResults() {
        long run = newRun();
        store.open(run);
        store.append(List.of(
                event(run, 1, "playbook_on_task_start", "one", null, false, 4),
                event(run, 2, "runner_on_ok", "one", "a", false, 5),
                event(run, 3, "runner_on_failed", "one", "b", true, 6),
                event(run, 4, "runner_on_unreachable", "one", "c", true, 9),
                event(run, 5, "playbook_on_task_start", "two", null, false, 12)));

        List<TaskSummary> tasks = store.tasks(run, 100);

        assertThat(tasks).extracting(TaskSummary::task).containsExactly("one", "two");
        TaskSummary one = tasks.get(0);
        assertThat(one.ok()).isEqualTo(1);
        assertThat(one.failed()).isEqualTo(1);
        assertThat(one.unreachable()).isEqualTo(1);
        assertThat(one.hosts()).isEqualTo(3);
        assertThat(one.line()).isEqualTo(4);
        assertThat(one.failedLine()).isEqualTo(6);
        assertThat(one.durationMs()).isEqualTo(40L);
        assertThat(one.status()).isEqualTo("unreachable");
        assertThat(tasks.get(1).status()).isEqualTo("running");
        assertThat(store.tasks(run, 1)).hasSize(1);
    }

    @Test
    void aSummaryIsOpenUntilSavedAndKeepsRecapAndOutputs() {
        long run = newRun();
        store.open(run);
        assertThat(store.summary(run)).get().extracting(RunSummary::state).isEqualTo(RunSummary.State.OPEN);
        assertThat(store.summary(run).get().problem(true)).contains("engine stopped");

        ObjectNode outputs = JSON.createObjectNode().put("compose_id", "Fedora-Rawhide-20261201.n.0");
        outputs.putArray("updates").add("FEDORA-2026-1");
        List<HostRecap> hosts =
                List.of(new HostRecap("a", 3, 1, 0, 0, 1, 0, 0), new HostRecap("b", 1, 0, 1, 0, 0, 0, 1));
        store.save(
                run,
                new RunSummary(RunSummary.State.INCOMPLETE, "a malformed event was dropped", 12, true, hosts, outputs));

        RunSummary saved = store.summary(run).orElseThrow();
        assertThat(saved.hosts()).isEqualTo(hosts);
        assertThat(saved.outputs()).isEqualTo(outputs);
        assertThat(saved.dryRun()).isTrue();
        assertThat(saved.events()).isEqualTo(12);
        assertThat(saved.problem(true)).isEqualTo("a malformed event was dropped");
        assertThat(store.summary(newRun())).isEmpty();
    }

    @Test
    void summariesOfAPageComeInOneLookupWithoutTheRunsThatHaveNone() {
        long recorded = newRun();
        long open = newRun();
        long none = newRun();
        store.open(recorded);
        store.open(open);
        ObjectNode outputs = JSON.createObjectNode().put("compose_id", "Fedora-Rawhide-20261201.n.1");
        store.save(
                recorded,
                new RunSummary(
                        RunSummary.State.COMPLETE,
                        null,
                        3,
                        false,
                        List.of(new HostRecap("a", 3, 1, 0, 0, 0, 0, 0)),
                        outputs));

        Map<Long, RunSummary> found = store.summaries(List.of(recorded, open, none));

        assertThat(found).containsOnlyKeys(recorded, open);
        assertThat(found.get(recorded).outputs()).isEqualTo(outputs);
        assertThat(found.get(open).state()).isEqualTo(RunSummary.State.OPEN);
        assertThat(store.summaries(List.of())).isEmpty();
    }

    private static RunEvent result(
            long run,
            int seq,
            String type,
            String task,
            String host,
            boolean changed,
            boolean failed,
            boolean ignored,
            String item,
            Long durationMs) {
        return new RunEvent(
                run,
                seq,
                type,
                T0.plusSeconds(seq),
                "Play",
                task,
                "id-" + task,
                "playbooks/p.yml:" + seq,
                "role-" + task,
                host,
                "ansible.builtin.command",
                changed,
                failed,
                ignored,
                item,
                durationMs,
                100 + seq,
                "{}");
    }

    /** A run whose tasks cover what a summary must count: hosts, ignored failures, items, unreachable hosts, a handler. */
    private List<RunEvent> variedRun(long run) {
        int s = 0;
        return List.of(
                event(run, ++s, "playbook_on_play_start", null, null, false, null),
                // one task on three hosts, one of them changed, one slow
                event(run, ++s, "playbook_on_task_start", "several", null, false, 3),
                result(run, ++s, "runner_on_ok", "several", "a", true, false, false, null, 30L),
                result(run, ++s, "runner_on_ok", "several", "b", false, false, false, null, 900L),
                result(run, ++s, "runner_on_skipped", "several", "c", false, false, false, null, null),
                // a failure that is ignored, and one that is not
                event(run, ++s, "playbook_on_task_start", "ignoring", null, false, 9),
                result(run, ++s, "runner_on_failed", "ignoring", "a", false, true, true, null, 5L),
                result(run, ++s, "runner_on_failed", "ignoring", "b", false, true, false, null, 7L),
                result(run, ++s, "runner_on_failed", "ignoring", "c", false, true, false, null, 6L),
                // items: only the host's final result counts
                event(run, ++s, "playbook_on_task_start", "looping", null, false, 14),
                result(run, ++s, "runner_item_on_ok", "looping", "a", true, false, false, "x", 1L),
                result(run, ++s, "runner_item_on_failed", "looping", "a", false, true, false, "y", 2L),
                result(run, ++s, "runner_item_on_skipped", "looping", "a", false, false, false, "z", 3L),
                result(run, ++s, "runner_retry", "looping", "a", false, false, false, null, 4L),
                result(run, ++s, "runner_on_failed", "looping", "a", true, true, false, null, 12L),
                // a host that is gone
                event(run, ++s, "playbook_on_task_start", "reaching", null, false, 20),
                result(run, ++s, "runner_on_unreachable", "reaching", "d", false, true, false, null, null),
                result(run, ++s, "runner_on_ok", "reaching", "a", false, false, false, null, 2L),
                // a handler, split over the two batches (the cut falls after its first host)
                event(run, ++s, "playbook_on_handler_task_start", "restart", null, false, 25),
                result(run, ++s, "runner_on_ok", "restart", "a", true, false, false, null, 50L),
                result(run, ++s, "runner_on_ok", "restart", "b", true, false, false, null, 40L),
                result(run, ++s, "runner_on_failed", "restart", "c", false, true, false, null, 60L),
                // a task whose hosts have not answered yet
                event(run, ++s, "playbook_on_task_start", "waiting", null, false, 31));
    }

    @Test
    void taskSummariesAreWhatTheirEventsAddUpTo() {
        long run = newRun();
        store.open(run);
        List<RunEvent> events = variedRun(run);
        int cut = 20;
        assertThat(events.get(cut - 1).task()).isEqualTo("restart");
        assertThat(events.get(cut).task()).isEqualTo("restart");
        store.append(events.subList(0, cut));
        store.append(events.subList(cut, events.size()));

        List<TaskSummary> tasks = store.tasks(run, 100);

        assertThat(tasks).isEqualTo(addedUpFromEvents(run, 100));
        assertThat(tasks)
                .extracting(TaskSummary::task, TaskSummary::status, TaskSummary::hosts)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("several", "changed", 3),
                        org.assertj.core.groups.Tuple.tuple("ignoring", "failed", 3),
                        org.assertj.core.groups.Tuple.tuple("looping", "failed", 1),
                        org.assertj.core.groups.Tuple.tuple("reaching", "unreachable", 2),
                        org.assertj.core.groups.Tuple.tuple("restart", "failed", 3),
                        org.assertj.core.groups.Tuple.tuple("waiting", "running", 0));
        TaskSummary ignoring = tasks.get(1);
        assertThat(ignoring.ignored()).isEqualTo(1);
        assertThat(ignoring.failed()).isEqualTo(2);
        assertThat(ignoring.failedLine()).isEqualTo(108);
        TaskSummary restart = tasks.get(4);
        assertThat(restart.handler()).isTrue();
        assertThat(restart.changed()).isEqualTo(2);
        assertThat(restart.durationMs()).isEqualTo(60L);
        assertThat(restart.role()).isNull();
        assertThat(tasks.get(5).durationMs()).isNull();
        assertThat(store.tasks(run, 2)).isEqualTo(addedUpFromEvents(run, 2));
    }

    @Test
    void thePageReadsTaskSummariesKeptWithTheEventsNotTheEventsThemselves() {
        long run = newRun();
        store.open(run);
        store.append(variedRun(run));
        List<TaskSummary> before = store.tasks(run, 100);

        database.jdbi().useHandle(h -> h.execute("delete from run_event where run_id = ?", run));

        assertThat(store.tasks(run, 100)).hasSize(6).isEqualTo(before);
    }

    @Test
    void aBatchThatCannotBeStoredLeavesTheTaskSummariesAsTheyWere() {
        long run = newRun();
        store.open(run);
        List<RunEvent> events = variedRun(run);
        store.append(events.subList(0, 5));
        List<TaskSummary> before = store.tasks(run, 100);
        List<RunEvent> clashing = new ArrayList<>(events.subList(5, 9));
        clashing.add(events.get(4)); // its seq is taken: the whole batch is refused

        assertThatThrownBy(() -> store.append(clashing)).isInstanceOf(RuntimeException.class);

        assertThat(store.tasks(run, 100)).isEqualTo(before).hasSize(1);
        assertThat(before.get(0).hosts()).isEqualTo(3);
    }

    /** What the run page showed before summaries were kept: every event of the run, added up. */
    private List<TaskSummary> addedUpFromEvents(long runId, int limit) {
        return database.jdbi().withHandle(h -> {
            Map<String, TaskSummary> counts = new HashMap<>();
            h.createQuery("select task_id,"
                            + " sum(case when type = 'runner_on_ok' then 1 else 0 end),"
                            + " sum(case when changed then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_failed' and not ignored then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_failed' and ignored then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_skipped' then 1 else 0 end),"
                            + " sum(case when type = 'runner_on_unreachable' then 1 else 0 end),"
                            + " max(duration_ms),"
                            + " min(case when failed and not ignored then line end)"
                            + " from run_event where run_id = :run and type in ('runner_on_ok', 'runner_on_failed',"
                            + " 'runner_on_skipped', 'runner_on_unreachable') group by task_id")
                    .bind("run", runId)
                    .map((rs, ctx) -> new TaskSummary(
                            0,
                            rs.getString(1),
                            null,
                            null,
                            null,
                            null,
                            null,
                            false,
                            null,
                            rs.getInt(2),
                            rs.getInt(3),
                            rs.getInt(4),
                            rs.getInt(5),
                            rs.getInt(6),
                            rs.getInt(7),
                            rs.getObject(8, Long.class),
                            rs.getObject(9, Integer.class)))
                    .forEach(c -> counts.put(c.taskId(), c));
            return h.createQuery("select seq, task_id, play, task, task_path, role, action, type, line from run_event"
                            + " where run_id = :run and type in ('playbook_on_task_start',"
                            + " 'playbook_on_handler_task_start') order by seq limit :limit")
                    .bind("run", runId)
                    .bind("limit", limit)
                    .map((rs, ctx) -> {
                        TaskSummary c = counts.getOrDefault(
                                rs.getString(2),
                                new TaskSummary(
                                        0, null, null, null, null, null, null, false, null, 0, 0, 0, 0, 0, 0, null,
                                        null));
                        return new TaskSummary(
                                rs.getInt(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                rs.getString(8).equals("playbook_on_handler_task_start"),
                                rs.getObject(9, Integer.class),
                                c.ok(),
                                c.changed(),
                                c.failed(),
                                c.ignored(),
                                c.skipped(),
                                c.unreachable(),
                                c.durationMs(),
                                c.failedLine());
                    })
                    .list();
        });
    }
}
