package org.fedoraproject.releng.workflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ansible-playbook with the engine's callback plugin: every event reaches the events API
 * masked, with the console line it starts at; the recap, the outputs and what the recap says
 * about the exit code reach the run JSON; faults leave the console complete and say why events
 * are missing.
 */
class RunEventsIT {

    private static final String TOKEN = "s3cr3t-token-for-events";

    @TempDir
    static Path home;

    private static TestEngine engine;

    @BeforeAll
    static void start() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("event-workflows"), catalog);
        engine = TestEngine.startWith(home, catalog, null, Map.of());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static JsonNode finished(String workflow, String parameters) {
        long id = engine.trigger(workflow, parameters).get("id").asLong();
        return engine.awaitFinal(id);
    }

    private static List<JsonNode> allEvents(long runId, String query, int limit) {
        List<JsonNode> events = new ArrayList<>();
        String next = "/api/runs/" + runId + "/events?limit=" + limit + (query.isEmpty() ? "" : "&" + query);
        while (next != null) {
            HttpResponse<String> r = engine.getWithToken(next);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = engine.read(r.body());
            page.get("events").forEach(events::add);
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return events;
    }

    @Test
    void everyEventOfARunIsStoredMaskedWithItsConsoleLine() {
        JsonNode run = finished("structured", "{\"token\":\"" + TOKEN + "\"}");
        long id = run.get("id").asLong();
        String[] log = engine.log(id).split("\n", -1);

        List<JsonNode> events = allEvents(id, "", 3);
        Set<String> types = new HashSet<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types)
                .contains(
                        "playbook_on_start",
                        "playbook_on_play_start",
                        "playbook_on_task_start",
                        "runner_on_ok",
                        "runner_on_failed",
                        "runner_on_skipped",
                        "runner_on_unreachable",
                        "runner_item_on_ok",
                        "playbook_on_stats");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("seq").asInt()).isEqualTo(i + 1);
            assertThat(events.get(i).toString()).doesNotContain(TOKEN);
        }
        for (JsonNode e : events) {
            int line = e.get("line").asInt();
            assertThat(line).as("line of %s", e).isBetween(1, log.length);
            String text = log[line - 1];
            switch (e.get("type").asText()) {
                case "playbook_on_task_start" ->
                    assertThat(text).startsWith("TASK [" + e.get("task").asText());
                case "runner_on_unreachable" -> assertThat(text).startsWith("fatal: [gone]: UNREACHABLE!");
                case "runner_on_failed" -> assertThat(text).startsWith("fatal: [here]: FAILED!");
                case "runner_item_on_ok" ->
                    assertThat(text).contains("(item=" + e.get("item").asText() + ")");
                case "playbook_on_stats" -> assertThat(text).startsWith("PLAY RECAP");
                default -> {}
            }
        }
        JsonNode hello = events.stream()
                .filter(e -> e.get("type").asText().equals("runner_on_ok")
                        && e.get("task").asText().equals("Say hello")
                        && e.get("host").asText().equals("here"))
                .findFirst()
                .orElseThrow();
        assertThat(hello.get("host").asText()).isEqualTo("here");
        assertThat(hello.get("action").asText()).isEqualTo("ansible.builtin.debug");
        assertThat(hello.get("taskPath").asText()).isEqualTo("playbooks/structured.yml:6");
        assertThat(hello.get("play").asText()).isEqualTo("Structured");
        assertThat(hello.get("durationMs").isIntegralNumber()).isTrue();
        assertThat(hello.at("/result/msg").asText()).isEqualTo("hello from here");

        JsonNode ignored = byTask(events, "Fail but ignore it", "runner_on_failed");
        assertThat(ignored.get("failed").asBoolean()).isTrue();
        assertThat(ignored.get("ignored").asBoolean()).isTrue();
        assertThat(ignored.at("/result/rc").asInt()).isEqualTo(1);

        JsonNode quiet = byTask(events, "Quiet task", "runner_on_ok");
        assertThat(quiet.get("result").isNull())
                .as("no_log: true stores no result")
                .isTrue();
        JsonNode careless = byTask(events, "Careless task", "runner_on_ok");
        assertThat(careless.at("/result/msg").asText()).isEqualTo("careless ********");
    }

    private static JsonNode byTask(List<JsonNode> events, String task, String type) {
        return events.stream()
                .filter(e -> e.get("type").asText().equals(type)
                        && e.path("task").asText().equals(task))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " of " + task));
    }

    @Test
    void theRecapAndTheOutputsReachTheRunButNoSecretOutput() {
        JsonNode run = finished("structured", "{\"token\":\"" + TOKEN + "\"}");
        long id = run.get("id").asLong();

        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("outputs").get("compose_id").asText()).isEqualTo("Fedora-Rawhide-20261201.n.0");
        assertThat(run.get("outputs").get("count").asInt()).isEqualTo(3);
        assertThat(run.get("outputs").has("leaked")).isFalse();
        assertThat(run.toString()).doesNotContain(TOKEN);
        assertThat(run.at("/events/complete").asBoolean()).isFalse();
        assertThat(run.at("/events/problem").asText()).contains("output `leaked` holds a secret");
        assertThat(run.get("verdict").asText()).contains("unreachable: 1 of 2 hosts: gone");
        assertThat(run.get("dryRun").asBoolean()).isFalse();

        JsonNode hosts =
                engine.read(engine.getWithToken("/api/runs/" + id + "/hosts").body());
        assertThat(hosts).hasSize(2);
        assertThat(hosts.get(0).get("host").asText()).isEqualTo("gone");
        assertThat(hosts.get(0).get("unreachable").asInt()).isEqualTo(1);
        assertThat(hosts.get(1).get("host").asText()).isEqualTo("here");
        assertThat(hosts.get(1).get("ignored").asInt()).isEqualTo(1);
        assertThat(hosts.get(1).get("changed").asInt()).isEqualTo(2);
        assertThat(run.get("hosts")).isEqualTo(hosts);

        // a history list carries each run's outputs and verdict, not its recap
        JsonNode listed = engine.read(engine.getWithToken("/api/runs?workflow=structured&limit=50")
                        .body())
                .get("runs");
        JsonNode mine = null;
        for (JsonNode r : listed) {
            if (r.get("id").asLong() == id) {
                mine = r;
            }
        }
        assertThat(mine).as(listed.toString()).isNotNull();
        assertThat(mine.get("outputs")).isEqualTo(run.get("outputs"));
        assertThat(mine.get("verdict")).isEqualTo(run.get("verdict"));
        assertThat(mine.has("hosts")).isFalse();
        assertThat(mine.toString()).doesNotContain(TOKEN);
        JsonNode workflowRuns = engine.read(
                        engine.getWithToken("/api/workflows/structured").body())
                .get("runs");
        assertThat(workflowRuns.toString()).contains("Fedora-Rawhide-20261201.n.0");
    }

    @Test
    void eventsFilterByHostTypeAndFailure() {
        long id = finished("structured", "{\"token\":\"" + TOKEN + "\"}")
                .get("id")
                .asLong();

        List<JsonNode> gone = allEvents(id, "host=gone", 2);
        assertThat(gone).isNotEmpty().allMatch(e -> e.get("host").asText().equals("gone"));
        List<JsonNode> failed = allEvents(id, "failed=true", 100);
        // `gone` fails each item of the loop (it cannot be reached), then is unreachable
        assertThat(failed)
                .extracting(e -> e.get("host").asText() + " " + e.get("type").asText())
                .containsExactly(
                        "gone runner_item_on_failed",
                        "gone runner_item_on_failed",
                        "gone runner_item_on_failed",
                        "gone runner_on_unreachable",
                        "here runner_on_failed");
        List<JsonNode> starts = allEvents(id, "type=playbook_on_task_start", 100);
        assertThat(starts).extracting(e -> e.get("task").asText()).startsWith("Say hello", "Loop over three items");
    }

    @Test
    void badEventQueriesAreRefusedNamingTheField() {
        long id = finished("fails-on-one-host", "{}").get("id").asLong();
        for (String[] bad : new String[][] {
            {"limit=0", "limit"},
            {"limit=5000", "limit"},
            {"after=-1", "after"},
            {"after=x", "after"},
            {"type=runner_on_fire", "type"},
            {"failed=maybe", "failed"}
        }) {
            HttpResponse<String> r = engine.getWithToken("/api/runs/" + id + "/events?" + bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(engine.read(r.body()).get("fields").has(bad[1]))
                    .as(r.body())
                    .isTrue();
        }
        assertThat(engine.getWithToken("/api/runs/999999/events").statusCode()).isEqualTo(404);
    }

    @Test
    void aRunThatFailsOnOneHostSaysWhichInItsReason() {
        JsonNode run = finished("fails-on-one-host", "{}");

        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("verdict").asText()).startsWith("failed on 1 of 2 hosts: b");
        JsonNode last = run.get("transitions").get(run.get("transitions").size() - 1);
        assertThat(last.get("reason").asText())
                .isEqualTo("exit code 2; " + run.get("verdict").asText());
        assertThat(run.at("/events/complete").asBoolean()).isTrue();
        assertThat(run.at("/events/problem").isNull()).isTrue();
    }

    @Test
    void aPlaybookThatKillsItsCallbackLeavesACompleteConsoleAndSaysEventsAreIncomplete() {
        JsonNode run = finished("kills-itself", "{}");
        long id = run.get("id").asLong();

        assertThat(run.get("status").asText()).isEqualTo("failed");
        String log = engine.log(id);
        assertThat(log)
                .contains("still here")
                .contains("NOTE: the run's events are incomplete")
                .contains("Finished: FAILED");
        assertThat(run.at("/events/complete").asBoolean()).isFalse();
        assertThat(run.at("/events/problem").asText()).contains("without closing its event stream");
        assertThat(allEvents(id, "", 100))
                .extracting(e -> e.path("task").asText())
                .contains("Before", "Kill everything in this process group");
    }

    @Test
    void theRunPageShowsTasksFailuresFirstTheRecapAndTheOutputsWithoutJavaScript() {
        JsonNode run = finished("structured", "{\"token\":\"" + TOKEN + "\"}");
        HttpResponse<String> page =
                engine.getWithToken("/job/structured/" + run.get("number").asLong() + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();

        assertThat(html).doesNotContain(TOKEN);
        assertThat(html).contains("id=\"verdict\"").contains("unreachable: 1 of 2 hosts: gone");
        assertThat(html).contains("Events are incomplete: output `leaked` holds a secret");
        assertThat(html.indexOf("id=\"broken-tasks\"")).isPositive().isLessThan(html.indexOf("id=\"tasks\""));
        String broken = html.substring(
                html.indexOf("id=\"broken-tasks\""), html.indexOf("</ul>", html.indexOf("id=\"broken-tasks\"")));
        assertThat(broken)
                .contains("Loop over three items")
                .as("an ignored failure is not a failure")
                .doesNotContain("Fail but ignore it")
                .doesNotContain("Say hello");
        assertThat(broken).containsPattern("console\\?line=\\d+#L\\d+");
        String tasks =
                html.substring(html.indexOf("id=\"tasks\""), html.indexOf("</table>", html.indexOf("id=\"tasks\"")));
        assertThat(tasks.indexOf("Say hello")).isLessThan(tasks.indexOf("Loop over three items"));
        assertThat(tasks).contains("Publish outputs").contains("playbooks/structured.yml:6");
        assertThat(html).contains("id=\"hosts\"").contains("<td>gone</td>");
        assertThat(html).contains("id=\"outputs\"").contains("Fedora-Rawhide-20261201.n.0");
        HttpResponse<String> fragment =
                engine.getWithToken("/job/structured/" + run.get("number").asLong() + "/structure");
        assertThat(fragment.body())
                .as("what the page's script fetches while the run goes on")
                .startsWith("<section id=\"structure\"")
                .contains("data-final=\"true\"")
                .contains("id=\"tasks\"");
        int consoleAt = html.indexOf("id=\"console\"");
        assertThat(html.indexOf("id=\"tasks\""))
                .as("the structure is above the console")
                .isLessThan(consoleAt);
    }
}
