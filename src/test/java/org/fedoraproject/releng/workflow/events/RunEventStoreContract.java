package org.fedoraproject.releng.workflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
}
