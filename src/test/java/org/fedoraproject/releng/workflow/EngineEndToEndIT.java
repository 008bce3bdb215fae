package org.fedoraproject.releng.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole engine running real ansible-playbook, driven over HTTP as its users would. */
class EngineEndToEndIT {

    @TempDir
    static Path home;

    static TestEngine engine;

    @BeforeAll
    static void start() {
        engine = TestEngine.start(home, null);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void successfulRunKeepsItsLogStatusAndHistory() {
        JsonNode queued = engine.trigger(
                "echo-params",
                "{\"release\":\"42\",\"label\":\"nightly.1\",\"count\":\"3\",\"arches\":[\"x86_64\",\"s390x\"]}");
        assertThat(queued.get("status").asText()).isIn("queued", "running");
        long id = queued.get("id").asLong();

        JsonNode run = engine.awaitFinal(id);

        assertThat(run.get("status").asText()).isEqualTo("succeeded");
        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(run.get("cause").get("type").asText()).isEqualTo("api");
        assertThat(run.get("cause").get("user").asText()).isEqualTo("releng-bot");
        assertThat(run.get("url").asText())
                .isEqualTo(engine.engine().baseUrl() + "/job/echo-params/"
                        + run.get("number").asLong() + "/");
        assertThat(run.get("parameters").get("count").asInt()).isEqualTo(3);
        assertThat(run.get("startedAt").asText()).isNotEmpty();
        List<String> steps = new ArrayList<>();
        run.get("transitions").forEach(t -> steps.add(t.get("to").asText()));
        assertThat(steps).containsExactly("queued", "running", "succeeded");

        String log = engine.log(id);
        assertThat(log).contains("release=42 label=nightly.1 count=3 dry_run=True arches=x86_64,s390x");
        // values arrive typed, not as strings: lists and numbers survive the trip to Ansible
        assertThat(log).contains("types count=int dry_run=bool arches=list");
        assertThat(log)
                .contains("run_id=" + id + " number=" + run.get("number").asLong() + " url="
                        + run.get("url").asText() + " cause=api user=releng-bot");
        assertThat(log).contains("Finished: SUCCEEDED");
    }

    @Test
    void failingPlaybookEndsFailedWithItsExitCode() {
        long id = engine.trigger("fail-on-second-task", null).get("id").asLong();

        JsonNode run = engine.awaitFinal(id);

        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("exitCode").asInt()).isEqualTo(2);
        String log = engine.log(id);
        assertThat(log)
                .contains("first task ran")
                .contains("second task failed on purpose")
                .doesNotContain("third task ran")
                .contains("Finished: FAILED");
    }

    @Test
    void runThatOutlivesItsTimeoutIsStoppedWithItsChildren() throws Exception {
        Path pidFile = home.resolve("timeout.pid");
        Instant before = Instant.now();
        long id = engine.trigger("quick-timeout", "{\"pid_file\":\"" + pidFile + "\"}")
                .get("id")
                .asLong();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        JsonNode run = engine.awaitFinal(id);

        assertThat(run.get("status").asText()).isEqualTo("timed_out");
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(60));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
        assertThat(engine.log(id)).contains("Finished: TIMED_OUT");
    }

    @Test
    void cancellingARunningRunStopsItsWholeProcessGroup() throws Exception {
        Path pidFile = home.resolve("cancel.pid");
        long id = engine.trigger("sleeper", "{\"seconds\":120,\"pid_file\":\"" + pidFile + "\"}")
                .get("id")
                .asLong();
        engine.awaitStatus(id, "running");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(child)).isPresent();

        HttpResponse<String> cancel = engine.post("/api/runs/" + id + "/cancel", "", TestEngine.TOKEN);

        assertThat(cancel.statusCode()).isEqualTo(202);
        JsonNode run = engine.awaitFinal(id);
        assertThat(run.get("status").asText()).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
        JsonNode last = run.get("transitions").get(run.get("transitions").size() - 1);
        assertThat(last.get("actor").asText()).isEqualTo("releng-bot");
        assertThat(engine.log(id)).contains("Finished: CANCELLED");
    }

    @Test
    void queuePolicyHoldsASecondRunUntilTheFirstEnds() {
        long first = engine.trigger("sleeper", "{\"seconds\":3}").get("id").asLong();
        engine.awaitStatus(first, "running");
        long second = engine.trigger("sleeper", "{\"seconds\":0}").get("id").asLong();

        // the limit is 1: while the first runs, the second must stay queued
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> engine.run(second).get("status").asText().equals("queued"));
        JsonNode firstDone = engine.awaitFinal(first);
        JsonNode secondDone = engine.awaitFinal(second);

        assertThat(secondDone.get("status").asText()).isEqualTo("succeeded");
        assertThat(Instant.parse(secondDone.get("startedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(firstDone.get("finishedAt").asText()));
    }

    @Test
    void cancellingAQueuedRunEndsItAtOnce() {
        long blocker = engine.trigger("sleeper", "{\"seconds\":5}").get("id").asLong();
        engine.awaitStatus(blocker, "running");
        long queued = engine.trigger("sleeper", "{\"seconds\":0}").get("id").asLong();

        HttpResponse<String> cancel = engine.post("/api/runs/" + queued + "/cancel", null, TestEngine.TOKEN);

        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(engine.read(cancel.body()).get("status").asText()).isEqualTo("cancelled");
        assertThat(engine.run(queued).get("startedAt").isNull()).isTrue();
        HttpResponse<String> again = engine.post("/api/runs/" + queued + "/cancel", null, TestEngine.TOKEN);
        assertThat(again.statusCode()).isEqualTo(409);
        engine.awaitFinal(blocker);
    }

    @Test
    void skipPolicyRefusesARunWhileOneIsActive() {
        long first =
                engine.trigger("skip-when-busy", "{\"seconds\":3}").get("id").asLong();
        engine.awaitStatus(first, "running");

        HttpResponse<String> second = engine.post("/api/workflows/skip-when-busy/runs", "{}", TestEngine.TOKEN);

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(engine.read(second.body()).get("error").asText()).contains("policy is skip");
        engine.awaitFinal(first);
    }

    @Test
    void cancelOlderPolicyReplacesTheRunningRun() {
        long older =
                engine.trigger("replace-older", "{\"seconds\":120}").get("id").asLong();
        engine.awaitStatus(older, "running");

        long newer =
                engine.trigger("replace-older", "{\"seconds\":0}").get("id").asLong();

        JsonNode replaced = engine.awaitFinal(older);
        assertThat(replaced.get("status").asText()).isEqualTo("cancelled");
        JsonNode last =
                replaced.get("transitions").get(replaced.get("transitions").size() - 1);
        assertThat(last.get("reason").asText())
                .isEqualTo("superseded by replace-older #"
                        + engine.run(newer).get("number").asLong() + " (policy cancel-older)");
        assertThat(engine.awaitFinal(newer).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void badParametersAreRefusedFieldByField() {
        HttpResponse<String> r = engine.post(
                "/api/workflows/echo-params/runs",
                "{\"parameters\":{\"release\":\"41\",\"label\":\"has space\",\"count\":11,\"dry_run\":\"maybe\",\"arches\":[\"riscv\"],\"extra\":1}}",
                TestEngine.TOKEN);

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode fields = engine.read(r.body()).get("fields");
        assertThat(fields.get("release").asText()).isEqualTo("must be one of rawhide, 42");
        assertThat(fields.get("label").asText()).contains("must match");
        assertThat(fields.get("count").asText()).isEqualTo("must be at most 10");
        assertThat(fields.get("dry_run").asText()).isEqualTo("must be true or false");
        assertThat(fields.get("arches").asText()).startsWith("must be one of");
        assertThat(fields.get("extra").asText()).startsWith("unknown parameter");
        assertThat(engine.post("/api/workflows/echo-params/runs", "not json", TestEngine.TOKEN)
                        .statusCode())
                .isEqualTo(400);
        assertThat(engine.post("/api/workflows/no-such-workflow/runs", "{}", TestEngine.TOKEN)
                        .statusCode())
                .isEqualTo(404);
        assertThat(engine.get("/api/runs/999999").statusCode()).isEqualTo(404);
        assertThat(engine.get("/api/runs/abc").statusCode()).isEqualTo(400);
    }

    @Test
    void secretNeverReachesTheLogTheApiOrTheDisk() throws Exception {
        String secret = "s3cr3t-\"quoted\"-value-4242";
        String body = "{\"token\":"
                + engine.read("\"" + secret.replace("\"", "\\\"") + "\"").toString() + "}";
        long id = engine.trigger("with-secret", body).get("id").asLong();

        JsonNode run = engine.awaitFinal(id);

        assertThat(run.get("status").asText()).isEqualTo("succeeded");
        assertThat(run.get("parameters").get("token").asText()).isEqualTo("****");
        String log = engine.log(id);
        assertThat(log)
                .doesNotContain("s3cr3t")
                .contains("the token is ******** for tester")
                .contains("cmd:********");
        assertThat(engine.get("/job/with-secret/" + run.get("number").asLong() + "/")
                        .body())
                .doesNotContain("s3cr3t");
        assertThat(engine.getWithToken("/api/runs?workflow=with-secret").body()).doesNotContain("s3cr3t");
        // nothing on disk holds it in clear: not the database, not the logs, not a leftover vars file
        try (Stream<Path> files = Files.walk(home.resolve("data"))) {
            List<String> contents = new ArrayList<>();
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(content).as("file %s", f).doesNotContain("s3cr3t");
                contents.add(content);
            }
            // the walk did reach this run's log, so the files above include where a leak would be
            assertThat(contents).anyMatch(c -> c.contains("the token is ******** for tester"));
        }
        try (Stream<Path> scratch = Files.list(home.resolve("data/runs"))) {
            assertThat(scratch.filter(p -> p.getFileName().toString().startsWith(id + "-")))
                    .isEmpty();
        }
    }

    @Test
    void secretParameterIsRequiredAndNeverDefaulted() {
        HttpResponse<String> r = engine.post("/api/workflows/with-secret/runs", "{}", TestEngine.TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(engine.read(r.body()).get("fields").get("token").asText()).isEqualTo("required");
    }

    @Test
    void brokenDefinitionIsListedWithItsErrorAndTheOthersStillRun() throws Exception {
        Files.copy(
                TestEngine.FIXTURES.resolve("broken-workflows/typo-in-key.yaml"),
                engine.catalogDir().resolve("typo-in-key.yaml"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.getWithToken("/api/workflows").body().contains("typo-in-key"));

        JsonNode workflows =
                engine.read(engine.getWithToken("/api/workflows").body()).get("workflows");
        JsonNode broken = null;
        for (JsonNode w : workflows) {
            if (w.get("id").asText().equals("typo-in-key")) {
                broken = w;
            }
        }
        assertThat(broken).isNotNull();
        assertThat(broken.get("broken").asBoolean()).isTrue();
        assertThat(broken.get("errors").get(0).asText())
                .contains("typo-in-key.yaml:4")
                .contains("unknown key `timout`");
        HttpResponse<String> refused = engine.post("/api/workflows/typo-in-key/runs", "{}", TestEngine.TOKEN);
        assertThat(refused.statusCode()).isEqualTo(409);
        long id = engine.trigger("echo-params", null).get("id").asLong();
        assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");
        assertThat(engine.getWithToken("/").body()).contains("typo-in-key").contains("unknown key");
        // never valid, so its visibility is unknown: only those who may read any restricted workflow see it
        assertThat(engine.get("/api/workflows").body()).doesNotContain("typo-in-key");
        Files.delete(engine.catalogDir().resolve("typo-in-key.yaml"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !engine.getWithToken("/api/workflows").body().contains("typo-in-key"));
    }

    @Test
    void triggeringAndCancellingNeedAValidToken() {
        assertThat(engine.post("/api/workflows/echo-params/runs", "{}", null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> wrong = engine.post("/api/workflows/echo-params/runs", "{}", "not-the-token-at-all-000");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        long id = engine.trigger("echo-params", null).get("id").asLong();
        engine.awaitFinal(id);
        assertThat(engine.post("/api/runs/" + id + "/cancel", "", null).statusCode())
                .isEqualTo(401);
        // reading needs nothing
        assertThat(engine.get("/api/runs/" + id).statusCode()).isEqualTo(200);
        assertThat(engine.get("/api/runs/" + id + "/log").statusCode()).isEqualTo(200);
        assertThat(engine.get("/api/workflows/echo-params").statusCode()).isEqualTo(200);
    }

    @Test
    void restrictedWorkflowIsHiddenFromAnonymousReaders() {
        long id = engine.trigger("restricted-chore", null).get("id").asLong();
        engine.awaitFinal(id);

        assertThat(engine.get("/api/runs/" + id).statusCode()).isEqualTo(404);
        assertThat(engine.get("/api/runs/" + id + "/log").statusCode()).isEqualTo(404);
        assertThat(engine.get("/api/workflows/restricted-chore").statusCode()).isEqualTo(404);
        assertThat(engine.get("/api/workflows").body()).doesNotContain("restricted-chore");
        assertThat(engine.get("/api/runs?limit=500").body()).doesNotContain("restricted-chore");
        assertThat(engine.get("/job/restricted-chore/1/").statusCode()).isEqualTo(404);
        assertThat(engine.get("/").body()).doesNotContain("restricted-chore");
        assertThat(engine.getWithToken("/api/runs/" + id).statusCode()).isEqualTo(200);
        assertThat(engine.getWithToken("/api/runs?limit=500").body()).contains("restricted-chore");
    }

    @Test
    void logCanBeReadProgressivelyFromAnOffset() {
        long id = engine.trigger("echo-params", null).get("id").asLong();
        engine.awaitFinal(id);
        String whole = engine.log(id);
        int cut = whole.indexOf("PLAY RECAP");

        HttpResponse<String> rest = engine.get("/api/runs/" + id + "/log?start=" + cut);

        assertThat(rest.body()).isEqualTo(whole.substring(cut));
        assertThat(rest.headers().firstValue("X-Text-Size")).hasValue(Integer.toString(whole.length()));
        assertThat(rest.headers().firstValue("X-More-Data")).hasValue("false");
        HttpResponse<String> past = engine.get("/api/runs/" + id + "/log?start=" + (whole.length() + 100));
        assertThat(past.body()).isEmpty();
    }

    @Test
    void runningLogIsReadableBeforeTheRunEnds() {
        long id = engine.trigger("sleeper", "{\"seconds\":4}").get("id").asLong();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> engine.get("/api/runs/" + id + "/log").body().contains("TASK [Sleep"));
        HttpResponse<String> partial = engine.get("/api/runs/" + id + "/log");
        assertThat(partial.headers().firstValue("X-More-Data")).hasValue("true");
        assertThat(partial.body()).doesNotContain("Finished:");
        engine.awaitFinal(id);
    }

    @Test
    void logStreamSendsLinesThenTheFinalStatus() {
        long id = engine.trigger("sleeper", "{\"seconds\":2}").get("id").asLong();
        HttpRequest request = HttpRequest.newBuilder(URI.create(engine.url("/api/runs/" + id + "/log/stream")))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();

        HttpResponse<String> stream = engine.send(request);

        String body = stream.body();
        assertThat(stream.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(body)
                .contains("event: message\n")
                .contains("data: ok: [localhost] => {")
                .contains("awake after 2 seconds");
        assertThat(body).containsSubsequence("Finished: SUCCEEDED", "event: status", "\"status\":\"succeeded\"");
        // resuming from an offset sends only what follows it
        long offset = engine.log(id).indexOf("PLAY RECAP");
        HttpResponse<String> resumed =
                engine.send(HttpRequest.newBuilder(URI.create(engine.url("/api/runs/" + id + "/log/stream")))
                        .header("Accept", "text/event-stream")
                        .header("Last-Event-ID", Long.toString(offset))
                        .GET()
                        .build());
        assertThat(resumed.body())
                .doesNotContain("TASK [Sleep")
                .contains("PLAY RECAP")
                .contains("event: status");
    }

    @Test
    void historyPagesNewestFirst() {
        // outcomes interleaved in a known order: a wrong order, a page that skips or repeats a run,
        // or a status filter that lets everything through each changes the exact lists below
        List<String> workflows =
                List.of("echo-params", "fail-on-second-task", "echo-params", "fail-on-second-task", "echo-params");
        List<Long> ids = new ArrayList<>();
        workflows.forEach(w -> ids.add(engine.trigger(w, null).get("id").asLong()));
        ids.forEach(engine::awaitFinal);
        String s0 = ids.get(0) + " succeeded", f1 = ids.get(1) + " failed", s2 = ids.get(2) + " succeeded";
        String f3 = ids.get(3) + " failed", s4 = ids.get(4) + " succeeded";

        JsonNode newest = history("/api/runs?limit=3");
        assertThat(idsAndStatuses(newest)).containsExactly(s4, f3, s2);
        assertThat(idsAndStatuses(history(newest.get("next").asText())).subList(0, 2))
                .containsExactly(f1, s0);

        JsonNode oneWorkflow = history("/api/runs?workflow=echo-params&limit=2");
        assertThat(idsAndStatuses(oneWorkflow)).containsExactly(s4, s2);
        assertThat(idsAndStatuses(history(oneWorkflow.get("next").asText())).get(0))
                .isEqualTo(s0);

        JsonNode failed = history("/api/runs?status=failed&limit=1");
        assertThat(idsAndStatuses(failed)).containsExactly(f3);
        assertThat(idsAndStatuses(history(failed.get("next").asText())).get(0)).isEqualTo(f1);
        assertThat(idsAndStatuses(history("/api/runs?status=failed&limit=500")))
                .allMatch(r -> r.endsWith(" failed"))
                .contains(f3, f1)
                .doesNotContain(s4, s2, s0);
        assertThat(idsAndStatuses(history("/api/runs?status=succeeded,failed&limit=5")))
                .containsExactly(s4, f3, s2, f1, s0);
        assertThat(idsAndStatuses(history("/api/runs?workflow=fail-on-second-task&status=succeeded&limit=500")))
                .doesNotContain(f3, f1)
                .allMatch(r -> r.endsWith(" succeeded"));
        assertThat(engine.get("/api/runs?status=weird").statusCode()).isEqualTo(400);
    }

    private static JsonNode history(String path) {
        HttpResponse<String> response = engine.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return engine.read(response.body());
    }

    /** The page's runs as "id status", newest first as the API returns them. */
    private static List<String> idsAndStatuses(JsonNode page) {
        List<String> runs = new ArrayList<>();
        page.get("runs")
                .forEach(r ->
                        runs.add(r.get("id").asLong() + " " + r.get("status").asText()));
        return runs;
    }

    @Test
    void relaunchRepeatsTheParametersAndAsksForSecretsAgain() {
        long first = engine.trigger("with-secret", "{\"token\":\"first-secret-value\",\"who\":\"relauncher\"}")
                .get("id")
                .asLong();
        JsonNode original = engine.awaitFinal(first);

        HttpResponse<String> withoutSecret = engine.post("/api/runs/" + first + "/relaunch", "{}", TestEngine.TOKEN);
        assertThat(withoutSecret.statusCode()).isEqualTo(400);
        assertThat(engine.read(withoutSecret.body()).get("fields").get("token").asText())
                .isEqualTo("required");
        HttpResponse<String> changing = engine.post(
                "/api/runs/" + first + "/relaunch",
                "{\"parameters\":{\"token\":\"x-secret-value\",\"who\":\"someone-else\"}}",
                TestEngine.TOKEN);
        assertThat(changing.statusCode()).isEqualTo(400);

        HttpResponse<String> relaunched = engine.post(
                "/api/runs/" + first + "/relaunch",
                "{\"parameters\":{\"token\":\"second-secret-value\"}}",
                TestEngine.TOKEN);
        assertThat(relaunched.statusCode()).isEqualTo(201);
        JsonNode again =
                engine.awaitFinal(engine.read(relaunched.body()).get("id").asLong());
        assertThat(again.get("status").asText()).isEqualTo("succeeded");
        assertThat(again.get("cause").get("type").asText()).isEqualTo("relaunch");
        assertThat(again.get("cause").get("detail").asText())
                .isEqualTo("relaunch of with-secret #" + original.get("number").asLong() + " (run " + first + ")");
        assertThat(again.get("parameters").get("who").asText()).isEqualTo("relauncher");
        assertThat(engine.log(again.get("id").asLong()))
                .contains("the token is ******** for relauncher")
                .doesNotContain("second-secret");
    }

    @Test
    void pipelineNamesItselfAsTheCause() {
        HttpResponse<String> r = engine.post(
                "/api/workflows/echo-params/runs",
                "{\"parameters\":{},\"cause\":{\"type\":\"pipeline\",\"detail\":\"https://jenkins.example.org/job/compose/42/\"}}",
                TestEngine.TOKEN);
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode run = engine.awaitFinal(engine.read(r.body()).get("id").asLong());
        assertThat(run.get("cause").get("type").asText()).isEqualTo("pipeline");
        assertThat(run.get("cause").get("user").asText()).isEqualTo("releng-bot");
        assertThat(run.get("cause").get("detail").asText()).isEqualTo("https://jenkins.example.org/job/compose/42/");
        assertThat(engine.log(run.get("id").asLong()))
                .startsWith(
                        "Started by a Jenkins pipeline as releng-bot (https://jenkins.example.org/job/compose/42/)");
        HttpResponse<String> forged =
                engine.post("/api/workflows/echo-params/runs", "{\"cause\":{\"type\":\"schedule\"}}", TestEngine.TOKEN);
        assertThat(forged.statusCode()).isEqualTo(400);
    }

    @Test
    void healthAndWhoamiAnswer() {
        assertThat(engine.get("/healthz").body()).contains("\"ok\"");
        JsonNode anonymous = engine.read(engine.get("/api/whoami").body());
        assertThat(anonymous.get("user").isNull()).isTrue();
        JsonNode bot = engine.read(engine.getWithToken("/api/whoami").body());
        assertThat(bot.get("user").asText()).isEqualTo("releng-bot");
        assertThat(bot.get("groups").toString()).contains("releng");
    }
}
