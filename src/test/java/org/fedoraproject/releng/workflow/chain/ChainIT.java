package org.fedoraproject.releng.workflow.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.cli.RelengCli;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Chains end to end: real step runs of ansible-playbook, started, advanced, cancelled and resumed by the engine. */
class ChainIT {

    @TempDir
    static Path home;

    static TestEngine engine;

    @BeforeAll
    static void start() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("chain-workflows"), catalog);
        String hash = PasswordHash.hash("correct horse".toCharArray());
        engine = TestEngine.startWithAuth(
                home,
                "localAdmin: {username: breakglass, passwordHash: \"" + hash + "\"}\n",
                Map.of(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** The steps of a chain run's JSON, by step id (a hidden step under "(hidden)"). */
    static Map<String, JsonNode> steps(JsonNode chainRun) {
        Map<String, JsonNode> steps = new HashMap<>();
        for (JsonNode s : chainRun.get("steps")) {
            steps.put(s.get("id").isNull() ? "(hidden)" : s.get("id").asText(), s);
        }
        return steps;
    }

    static long stepRun(JsonNode chainRun, String step) {
        return steps(chainRun).get(step).get("run").get("id").asLong();
    }

    private static JsonNode awaitStep(long chainRunId, String step, String status) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(
                        steps(engine.run(chainRunId)).get(step).get("status").asText()));
        return engine.run(chainRunId);
    }

    @Test
    void outputsOfOneStepReachTheNextAsLiteralText() {
        String note = "{{ 7 * 7 }} ${parameters.note} ${steps.first.outputs.note}";
        JsonNode chain = engine.trigger(
                "pass-outputs",
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("note", note)
                        .toString());
        long id = chain.get("id").asLong();

        JsonNode done = engine.awaitFinal(id);

        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(done.get("steps")).hasSize(3);
        long second = stepRun(done, "second");
        assertThat(engine.log(second))
                .as("the first step's output, substituted once and never templated nor substituted again")
                .contains("note=[seen: " + note + "!]");
        JsonNode third = engine.run(stepRun(done, "third"));
        assertThat(third.get("parameters").get("count").asInt()).isEqualTo(2);
        assertThat(third.get("cause").get("type").asText()).isEqualTo("chain");
        assertThat(third.get("cause").get("detail").asText())
                .isEqualTo(done.get("url").asText());
        assertThat(third.get("chain").get("id").asLong())
                .as("a step run links back")
                .isEqualTo(id);
        assertThat(steps(done).get("first").get("run").get("workflow").asText()).isEqualTo("note-taker");
        assertThat(engine.log(id)).contains("step first: started note-taker #").contains("Finished: SUCCEEDED");
    }

    @Test
    void aFailureStepHandlesAFailureAndWhatNeededSuccessIsSkipped() {
        long id = engine.trigger("fail-then-tell", null).get("id").asLong();

        JsonNode done = engine.awaitFinal(id);

        Map<String, JsonNode> steps = steps(done);
        assertThat(steps.get("breaks").get("status").asText()).isEqualTo("failed");
        assertThat(steps.get("tell").get("status").asText()).isEqualTo("succeeded");
        assertThat(steps.get("carry-on").get("status").asText()).isEqualTo("skipped");
        assertThat(steps.get("carry-on").get("run").isNull()).isTrue();
        assertThat(steps.get("finally").get("status").asText()).isEqualTo("succeeded");
        assertThat(done.get("status").asText()).as("a handled failure").isEqualTo("succeeded");
    }

    @Test
    void anUnhandledFailureFailsTheChainAndResumeRerunsOnlyFromTheFailedStep() {
        long id = engine.trigger("fail-unhandled", null).get("id").asLong();
        JsonNode failed = engine.awaitFinal(id);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(steps(failed).get("after-break").get("status").asText()).isEqualTo("skipped");
        assertThat(engine.log(id)).contains("failed at step breaks");

        HttpResponse<String> resumed = engine.post("/api/runs/" + id + "/resume", "{}", TestEngine.TOKEN);
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(201);
        long again = engine.read(resumed.body()).get("id").asLong();
        JsonNode second = engine.awaitFinal(again);

        assertThat(second.get("cause").get("type").asText()).isEqualTo("resume");
        assertThat(second.get("resumes").get("id").asLong()).isEqualTo(id);
        assertThat(engine.run(id).get("resumedBy").get("id").asLong()).isEqualTo(again);
        assertThat(stepRun(second, "first"))
                .as("the step that succeeded is kept, not run again")
                .isEqualTo(stepRun(failed, "first"));
        assertThat(stepRun(second, "breaks")).isNotEqualTo(stepRun(failed, "breaks"));
        assertThat(second.get("status").asText()).isEqualTo("failed");
    }

    @Test
    void onlyAFailedChainResumes() {
        long chain = engine.trigger("fail-then-tell", null).get("id").asLong();
        engine.awaitFinal(chain);
        HttpResponse<String> succeeded = engine.post("/api/runs/" + chain + "/resume", "{}", TestEngine.TOKEN);
        assertThat(succeeded.statusCode()).isEqualTo(409);
        assertThat(succeeded.body()).contains("only a failed chain can be resumed");

        long plain = engine.trigger("fail-on-second-task", null).get("id").asLong();
        engine.awaitFinal(plain);
        HttpResponse<String> notAChain = engine.post("/api/runs/" + plain + "/resume", "{}", TestEngine.TOKEN);
        assertThat(notAChain.statusCode()).isEqualTo(409);
        assertThat(notAChain.body()).contains("is not a chain run");

        assertThat(engine.post("/api/runs/" + plain + "/resume", "{}", null).statusCode())
                .as("anonymous may not resume")
                .isIn(401, 403);
    }

    @Test
    void cancellingAChainCancelsItsRunningStepAndStartsNoMore() {
        long id =
                engine.trigger("nap-then-note", "{\"seconds\": 120}").get("id").asLong();
        JsonNode napping = awaitStep(id, "nap", "running");
        long nap = stepRun(napping, "nap");

        HttpResponse<String> cancel = engine.post("/api/runs/" + id + "/cancel", "{}", TestEngine.TOKEN);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);

        assertThat(engine.awaitFinal(nap).get("status").asText()).isEqualTo("cancelled");
        JsonNode done = engine.run(id);
        assertThat(done.get("status").asText()).isEqualTo("cancelled");
        // the nap ended as a failure would: still its failure step must not start
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
            Map<String, JsonNode> steps = steps(engine.run(id));
            return steps.get("woke-badly").get("status").asText().equals("cancelled")
                    && steps.get("note").get("status").asText().equals("cancelled");
        });
    }

    @Test
    void aStepWorkflowBrokenWhenItsTurnComesFailsTheChainAndResumeWorksOnceFixed() throws Exception {
        Path file = engine.catalogDir().resolve("note-taker.yaml");
        String good = Files.readString(file);
        long id = engine.trigger("nap-unhandled", "{\"seconds\": 4}").get("id").asLong();
        awaitStep(id, "nap", "running");
        try {
            Files.writeString(
                    file, good.replace("playbook: playbooks/note-taker.yml", "playbook: playbooks/missing.yml"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.engine()
                            .catalog()
                            .current()
                            .findBroken("note-taker")
                            .isPresent());

            JsonNode failed = engine.awaitFinal(id);

            assertThat(failed.get("status").asText()).isEqualTo("failed");
            JsonNode note = steps(failed).get("note");
            assertThat(note.get("status").asText()).isEqualTo("failed");
            assertThat(note.get("run").isNull()).isTrue();
            assertThat(note.get("error").asText())
                    .contains("workflow `note-taker` cannot run, its definition is broken")
                    .contains("playbooks/missing.yml");
        } finally {
            Files.writeString(file, good);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> engine.engine()
                                .catalog()
                                .current()
                                .find("nap-unhandled")
                                .isPresent()
                        && engine.engine()
                                .catalog()
                                .current()
                                .find("note-taker")
                                .isPresent());

        HttpResponse<String> resumed = engine.post("/api/runs/" + id + "/resume", "", TestEngine.TOKEN);
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(201);
        JsonNode second =
                engine.awaitFinal(engine.read(resumed.body()).get("id").asLong());

        assertThat(second.get("status").asText()).isEqualTo("succeeded");
        JsonNode failedOne = engine.run(id);
        assertThat(stepRun(second, "nap")).isEqualTo(stepRun(failedOne, "nap"));
        assertThat(engine.log(stepRun(second, "note"))).contains("note=[after the nap]");
    }

    @Test
    void aRestrictedStepIsAHiddenStepForThoseWhoCannotReadIt() {
        long id = engine.trigger("with-hidden", null).get("id").asLong();
        JsonNode asMember = engine.awaitFinal(id);
        assertThat(asMember.get("status").asText()).isEqualTo("succeeded");
        assertThat(steps(asMember).get("chore").get("run").get("workflow").asText())
                .isEqualTo("restricted-chore");

        HttpResponse<String> anonymous = engine.get("/api/runs/" + id);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).doesNotContain("restricted-chore").doesNotContain("chore");
        JsonNode seen = engine.read(anonymous.body());
        JsonNode hidden = seen.get("steps").get(0);
        assertThat(hidden.get("hidden").asBoolean()).isTrue();
        assertThat(hidden.get("id").isNull()).isTrue();
        assertThat(hidden.get("run").isNull()).isTrue();
        assertThat(steps(seen).get("echo").get("run").isNull()).isFalse();
        assertThat(engine.get("/api/runs/" + stepRun(asMember, "chore")).statusCode())
                .isEqualTo(404);
        JsonNode workflow = engine.read(engine.get("/api/workflows/with-hidden").body());
        assertThat(workflow.get("chain").asBoolean()).isTrue();
        assertThat(engine.get("/api/workflows/with-hidden").body()).doesNotContain("restricted-chore");
        assertThat(engine.read(engine.get("/api/workflows/note-taker").body()).get("outputs"))
                .hasSize(1);
    }

    @Test
    void aChainNestsAndItsInnerChainIsAStepLikeAnyOther() {
        long id = engine.trigger("nested", null).get("id").asLong();
        JsonNode done = engine.awaitFinal(id);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        JsonNode inner = engine.run(stepRun(done, "inner"));
        assertThat(inner.get("workflow").asText()).isEqualTo("fail-then-tell");
        assertThat(inner.get("chain").get("id").asLong()).isEqualTo(id);
        assertThat(steps(inner).get("tell").get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void relengResumeStartsTheFailedChainAgain() {
        long id = engine.trigger("fail-unhandled", null).get("id").asLong();
        JsonNode failed = engine.awaitFinal(id);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RelengCli.commandLine(Map.of(), home.resolve("cli-home"));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute(
                "--server",
                engine.url(""),
                "--token",
                TestEngine.TOKEN,
                "resume",
                "fail-unhandled#" + failed.get("number").asLong(),
                "--wait");

        assertThat(exit)
                .as("the resumed chain fails at the same step again: %s", err)
                .isEqualTo(1);
        JsonNode resumedBy = engine.run(id).get("resumedBy");
        assertThat(resumedBy).isNotNull();
        assertThat(engine.run(resumedBy.get("id").asLong())
                        .get("cause")
                        .get("type")
                        .asText())
                .isEqualTo("resume");
    }

    private static WebClient browser() {
        WebClient browser = new WebClient();
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setCssEnabled(false);
        return browser;
    }

    @Test
    void theChainPageListsTheStepsInOrderAndHidesARestrictedOneFromAnonymous() throws Exception {
        JsonNode chain = engine.trigger("with-hidden", null);
        long id = chain.get("id").asLong();
        JsonNode done = engine.awaitFinal(id);
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(
                    engine.base("/job/with-hidden/" + chain.get("number").asLong() + "/"));
            String steps = page.getElementById("chain-steps").asNormalizedText();
            assertThat(steps)
                    .contains("hidden step")
                    .contains("echo")
                    .contains("after a hidden step")
                    .doesNotContain("chore");
            assertThat(page.asXml()).doesNotContain("restricted-chore");
            HtmlPage step = page.getAnchorByText("echo").click();
            assertThat(step.getElementById("chain-run").asNormalizedText())
                    .as("a step run's page links back to its chain")
                    .contains("with-hidden #" + done.get("number").asLong());
        }
    }

    @Test
    void aMemberResumesAFailedChainWithItsPageButton() throws Exception {
        JsonNode chain = engine.trigger("fail-unhandled", null);
        long id = chain.get("id").asLong();
        engine.awaitFinal(id);
        try (WebClient browser = browser()) {
            HtmlPage anonymous = browser.getPage(
                    engine.base("/job/fail-unhandled/" + chain.get("number").asLong() + "/"));
            assertThat(anonymous.getElementById("resume"))
                    .as("anonymous may not resume")
                    .isNull();
            assertThat(anonymous.getElementById("chain-steps").asNormalizedText())
                    .contains("first")
                    .contains("breaks")
                    .contains("after-break")
                    .contains("skipped");

            HtmlPage login = browser.getPage(engine.base(
                    "/login?next=/job/fail-unhandled/" + chain.get("number").asLong() + "/"));
            HtmlForm form = (HtmlForm) login.getElementById("local-login");
            form.getInputByName("username").setValue("breakglass");
            form.getInputByName("password").setValue("correct horse");
            HtmlPage page = ((HtmlButton) login.getElementById("local-login-submit")).click();
            HtmlPage resumed = ((HtmlButton) page.getElementById("resume")).click();

            assertThat(resumed.getElementById("resumes").asNormalizedText())
                    .contains("fail-unhandled #" + chain.get("number").asLong());
            assertThat(engine.run(id).get("resumedBy")).isNotNull();
        }
    }

    @Test
    void theChainPageShowsItsStepsInChromium() throws Exception {
        JsonNode chain = engine.trigger("fail-then-tell", null);
        engine.awaitFinal(chain.get("id").asLong());
        try (org.fedoraproject.releng.workflow.testsupport.Chromium browser =
                org.fedoraproject.releng.workflow.testsupport.Chromium.start()) {
            browser.open(
                    engine.base("/job/fail-then-tell/" + chain.get("number").asLong() + "/"));
            assertThat(browser.text("chain-steps"))
                    .contains("breaks")
                    .contains("failed")
                    .contains("carry-on")
                    .contains("skipped")
                    .contains("if breaks failed")
                    .contains("after tell, carry-on, whatever happened");
            browser.execute("document.getElementById('chain-steps').scrollIntoView()");
            Files.write(Path.of("target", "chain-page.png"), browser.screenshot());
        }
    }

    @Test
    void aChainSecretReachesItsStepAsThatRunsSecret() {
        String secret = "s3cr3t-chain-token-4711";
        long id = engine.trigger("pass-secret", "{\"token\":\"" + secret + "\"}")
                .get("id")
                .asLong();
        JsonNode done = engine.awaitFinal(id);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        long use = stepRun(done, "use");
        String log = engine.log(use);
        assertThat(log)
                .contains("the token is ******** for chain")
                .contains("\"length\": \"" + secret.length() + "\"")
                .doesNotContain(secret);
        assertThat(engine.run(use).get("parameters").get("token").asText()).isEqualTo("****");
        assertThat(engine.getWithToken("/api/runs/" + use).body()).doesNotContain(secret);
        assertThat(engine.log(id)).doesNotContain(secret);
    }

    @Test
    void aChainWithAnApprovalRuleStartsItsStepsOnlyOnceApproved() throws Exception {
        JsonNode chain = engine.trigger("approved-chain", null);
        long id = chain.get("id").asLong();
        assertThat(chain.get("status").asText()).isEqualTo("waiting_approval");
        assertThat(steps(engine.run(id)).get("first").get("status").asText()).isEqualTo("pending");
        try (WebClient browser = browser()) {
            HtmlPage login = browser.getPage(engine.base(
                    "/login?next=/job/approved-chain/" + chain.get("number").asLong() + "/"));
            HtmlForm form = (HtmlForm) login.getElementById("local-login");
            form.getInputByName("username").setValue("breakglass");
            form.getInputByName("password").setValue("correct horse");
            HtmlPage page = ((HtmlButton) login.getElementById("local-login-submit")).click();
            ((HtmlButton) page.getElementById("approve")).click();
        }
        JsonNode done = engine.awaitFinal(id);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(engine.log(stepRun(done, "then"))).contains("note=[approved]");
    }
}
