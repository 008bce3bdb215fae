package org.fedoraproject.releng.workflow.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.cli.RelengCli;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.HttpUser;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Chain steps with an approval rule or locks of their own, people logged in through a real OIDC
 * provider: QA (alice, carol) starts the chain, approvers of the chain (bob, dave) decide its step,
 * and a step claim that lost its node is started again.
 */
class ChainStepsIT {

    @TempDir
    static Path home;

    static FedoraLikeProvider provider;
    static TestEngine engine;
    static HttpUser alice;
    static HttpUser carol;
    static HttpUser bob;
    static HttpUser dave;
    static HttpUser rita;
    static HttpUser lena;

    @BeforeAll
    static void start() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("chain-workflows"), catalog);
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        engine = TestEngine.startWithLogin(home, provider);
        alice = HttpUser.logIn(engine, provider, "alice", "qa");
        carol = HttpUser.logIn(engine, provider, "carol", "qa");
        bob = HttpUser.logIn(engine, provider, "bob", "approvers");
        dave = HttpUser.logIn(engine, provider, "dave", "approvers");
        rita = HttpUser.logIn(engine, provider, "rita", "qa");
        lena = HttpUser.logIn(engine, provider, "lena", "qa", "releng-leads");
    }

    @AfterAll
    static void stop() {
        engine.close();
        provider.close();
    }

    private static long ask(HttpUser who, String chain) {
        HttpResponse<String> r = who.post("/api/workflows/" + chain + "/runs", "{\"parameters\":{}}", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return engine.read(r.body()).get("id").asLong();
    }

    private static HttpResponse<String> decide(HttpUser who, long run, String verdict) {
        return who.post("/api/runs/" + run + "/" + verdict, "{\"comment\":\"step decision\"}", true);
    }

    private static JsonNode awaitStep(long chainRunId, String step, String status) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(ChainIT.steps(engine.run(chainRunId))
                        .get(step)
                        .get("status")
                        .asText()));
        return engine.run(chainRunId);
    }

    private static List<String> locksWanted(long runId) {
        return engine.engine()
                .database()
                .jdbi()
                .withHandle(h -> h.createQuery("select name from run_lock_wanted where run_id = :id")
                        .bind("id", runId)
                        .mapTo(String.class)
                        .list());
    }

    @Test
    void aStepWithAnApprovalWaitsForTheChainsApproversAndNeverItsStarter() {
        long chain = ask(alice, "approved-step");
        long push = ChainIT.stepRun(awaitStep(chain, "push", "waiting_approval"), "push");
        JsonNode waiting = engine.run(push);
        assertThat(waiting.get("approval").get("starter").asText())
                .as("the chain's starter starts its steps")
                .isEqualTo("alice");
        assertThat(locksWanted(push)).as("the step's own lock").containsExactly("push-lock");

        HttpResponse<String> own = decide(alice, push, "approve");
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("never decided by its own starter");
        HttpResponse<String> noPermission = decide(carol, push, "approve");
        assertThat(noPermission.statusCode()).isEqualTo(403);
        assertThat(noPermission.body())
                .as("the rule is the chain's, so is the permission")
                .contains("needs the `approve` permission on workflow `approved-step`");
        assertThat(ChainStepsIT.ids(bob.get("/api/approvals"))).contains(push);
        assertThat(ChainStepsIT.ids(carol.get("/api/approvals"))).doesNotContain(push);

        HttpResponse<String> approved = decide(bob, push, "approve");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode done = engine.awaitFinal(chain);

        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        Map<String, JsonNode> steps = ChainIT.steps(done);
        assertThat(steps.get("push").get("status").asText()).isEqualTo("succeeded");
        assertThat(steps.get("refused").get("status").asText()).isEqualTo("skipped");
        assertThat(engine.log(push)).contains("note=[pushed]");
    }

    @Test
    void aDeniedStepIsRejectedAndTheChainsFailurePathHandlesIt() {
        long chain = ask(alice, "approved-step");
        long push = ChainIT.stepRun(awaitStep(chain, "push", "waiting_approval"), "push");

        assertThat(decide(dave, push, "deny").statusCode()).isEqualTo(200);
        JsonNode done = engine.awaitFinal(chain);

        Map<String, JsonNode> steps = ChainIT.steps(done);
        assertThat(steps.get("push").get("status").asText()).isEqualTo("rejected");
        assertThat(steps.get("refused").get("status").asText()).isEqualTo("succeeded");
        assertThat(done.get("status").asText()).as("a handled rejection").isEqualTo("succeeded");
    }

    @Test
    void aStepsUnlessIsJudgedByTheChainsStarter() {
        long chain = ask(rita, "approved-step");

        JsonNode done = engine.awaitFinal(chain);

        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(engine.run(ChainIT.stepRun(done, "push")).path("approval").isObject())
                .as("rita's runs of the chain need no approval of its step")
                .isFalse();
        long leads = ask(lena, "approved-step");
        JsonNode theirs = engine.awaitFinal(leads);
        assertThat(theirs.get("status").asText()).isEqualTo("succeeded");
        assertThat(engine.run(ChainIT.stepRun(theirs, "push")).path("approval").isObject())
                .as("nor do those of group releng-leads, by the groups of lena's last login")
                .isFalse();
    }

    @Test
    void aStepClaimedByANodeThatDiedBeforeQueueingItsRunIsStartedAgain() {
        long chain =
                engine.trigger("nap-then-note", "{\"seconds\": 2}").get("id").asLong();
        awaitStep(chain, "nap", "running");
        // what a node dying right after claiming the step leaves behind: a claim without a run
        int claimed = engine.engine()
                .database()
                .jdbi()
                .withHandle(h -> h.createUpdate("update chain_step set status = 'starting', updated_at = :at"
                                + " where chain_run_id = :chain and step_id = 'note' and status = 'pending'")
                        .bind("chain", chain)
                        .bind("at", Timestamp.from(Instant.now().minus(Duration.ofMinutes(10))))
                        .execute());
        assertThat(claimed).isEqualTo(1);

        JsonNode done = engine.awaitFinal(chain);

        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(ChainIT.steps(done).get("note").get("status").asText()).isEqualTo("succeeded");
        assertThat(engine.log(chain)).contains("step note: its start was interrupted; starting it again");
    }

    private static List<String> gatesFor(HttpUser who, long chainRunId) {
        HttpResponse<String> r = who.get("/api/approvals");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> gates = new java.util.ArrayList<>();
        engine.read(r.body()).get("approvals").forEach(a -> {
            if (a.get("run").get("id").asLong() == chainRunId) {
                gates.add(a.get("step").asText());
            }
        });
        return gates;
    }

    private static HttpResponse<String> decideGate(HttpUser who, long run, String verdict, String step) {
        return who.post("/api/runs/" + run + "/" + verdict, "{\"comment\":\"gate\",\"step\":\"" + step + "\"}", true);
    }

    @Test
    void aGateWaitsForTwoOfTheChainsApproversThenTheChainGoesOn() {
        long chain = ask(alice, "gated-chain");
        JsonNode waiting = awaitStep(chain, "go", "waiting_approval");
        assertThat(waiting.get("status").asText()).as("the chain run itself").isEqualTo("running");
        assertThat(ChainIT.steps(waiting).get("then").get("status").asText()).isEqualTo("pending");
        assertThat(gatesFor(bob, chain)).containsExactly("go");
        assertThat(gatesFor(carol, chain)).isEmpty();

        HttpResponse<String> own = decide(alice, chain, "approve");
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("never decided by its own starter");
        HttpResponse<String> noPermission = decide(carol, chain, "approve");
        assertThat(noPermission.statusCode()).isEqualTo(403);
        assertThat(noPermission.body()).contains("needs the `approve` permission on workflow `gated-chain`");
        HttpResponse<String> first = decide(bob, chain, "approve");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(engine.read(first.body()).get("gate").get("approvals").asInt())
                .isEqualTo(1);
        assertThat(decide(bob, chain, "approve").statusCode()).as("bob twice").isEqualTo(409);
        JsonNode go = ChainIT.steps(engine.run(chain)).get("go");
        assertThat(go.get("status").asText()).isEqualTo("waiting_approval");
        JsonNode gate = go.get("approval");
        assertThat(gate).as("the gate's step carries its approval: " + go).isNotNull();
        assertThat(gate.get("required").asInt()).isEqualTo(2);
        assertThat(gate.get("approvals").asInt()).isEqualTo(1);
        assertThat(gate.get("deadline").asText()).isNotBlank();
        assertThat(gate.get("outcome").isNull()).isTrue();
        assertThat(gate.get("decisions").get(0).get("by").asText()).isEqualTo("bob");
        assertThat(gate.get("decisions").get(0).get("decision").asText()).isEqualTo("approved");
        assertThat(gate.get("decisions").get(0).get("comment").asText()).isEqualTo("step decision");
        assertThat(ChainIT.steps(engine.run(chain)).get("then").has("approval"))
                .as("a workflow step has no gate")
                .isFalse();
        HttpResponse<String> second = decide(dave, chain, "approve");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode done = engine.awaitFinal(chain);

        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(ChainIT.steps(done).get("go").get("status").asText()).isEqualTo("succeeded");
        assertThat(ChainIT.steps(done).get("go").get("approval").get("outcome").asText())
                .isEqualTo("approved");
        assertThat(engine.log(ChainIT.stepRun(done, "then"))).contains("note=[through the gate]");
        assertThat(engine.engine().runs().transitions(chain))
                .as("the chain run's history keeps each decision of its gate")
                .anyMatch(t -> t.reason() != null && t.reason().startsWith("gate go: approved by bob (1 of 2)"))
                .anyMatch(t -> t.reason() != null && t.reason().startsWith("gate go: approved by dave (2 of 2)"));
        assertThat(decide(bob, chain, "approve").statusCode())
                .as("nothing waits any more")
                .isEqualTo(409);
    }

    @Test
    void aGateDeniedOnTheChainRunsPageFailsAnUnhandledChain() throws Exception {
        long chain = ask(alice, "gated-chain");
        awaitStep(chain, "go", "waiting_approval");
        String page = "/job/gated-chain/" + engine.run(chain).get("number").asLong() + "/";

        try (WebClient asAlice = browser("alice", "qa", page)) {
            HtmlPage mine = asAlice.getPage(engine.base(page));
            assertThat(mine.getElementById("gate-go").asNormalizedText())
                    .contains("Waiting at gate go")
                    .contains("never decided by its own starter");
            assertThat(mine.getElementById("gate-form-go")).isNull();
        }
        try (WebClient asDave = browser("dave", "approvers", page)) {
            HtmlPage before = asDave.getPage(engine.base(page));
            HtmlForm form = (HtmlForm) before.getElementById("gate-form-go");
            form.getInputByName("comment").setValue("not today");
            HtmlPage after = ((HtmlButton) before.getElementById("deny-go")).click();
            assertThat(after.getUrl().getPath()).isEqualTo(page);
        }
        JsonNode done = engine.awaitFinal(chain);
        assertThat(engine.engine().runs().transitions(chain))
                .anyMatch(t -> t.reason() != null && t.reason().equals("gate go: denied by dave: not today"));

        assertThat(done.get("status").asText()).isEqualTo("failed");
        assertThat(ChainIT.steps(done).get("go").get("status").asText()).isEqualTo("rejected");
        assertThat(ChainIT.steps(done).get("then").get("status").asText()).isEqualTo("skipped");
    }

    @Test
    void twoGatesAtOnceAreDecidedByStepATimedOutGateIsRejectedAndResumeAsksAgain() {
        long chain = ask(alice, "two-gates");
        awaitStep(chain, "left", "waiting_approval");
        awaitStep(chain, "right", "waiting_approval");

        HttpResponse<String> ambiguous = decide(bob, chain, "approve");
        assertThat(ambiguous.statusCode()).isEqualTo(409);
        assertThat(ambiguous.body()).contains("several gates (left, right)").contains("\\\"step\\\"");
        assertThat(decideGate(bob, chain, "approve", "nope").statusCode()).isEqualTo(409);
        HttpResponse<String> left = decideGate(bob, chain, "approve", "left");
        assertThat(left.statusCode()).as(left.body()).isEqualTo(200);
        JsonNode done = engine.awaitFinal(chain);

        assertThat(done.get("status").asText()).isEqualTo("failed");
        Map<String, JsonNode> steps = ChainIT.steps(done);
        assertThat(steps.get("left").get("status").asText()).isEqualTo("succeeded");
        assertThat(steps.get("right").get("status").asText()).as("timed out").isEqualTo("rejected");
        assertThat(steps.get("both").get("status").asText()).isEqualTo("skipped");

        HttpResponse<String> resumed = alice.post("/api/runs/" + chain + "/resume", "{}", true);
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(201);
        long again = engine.read(resumed.body()).get("id").asLong();
        awaitStep(again, "right", "waiting_approval");
        assertThat(decideGate(dave, again, "approve", "right").statusCode()).isEqualTo(200);
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
                "approve",
                String.valueOf(again),
                "--step",
                "left",
                "--comment",
                "from the command line");
        assertThat(exit).as("%s", err).isZero();
        assertThat(out.toString()).contains("Approved the gate of two-gates #").contains("approved; the chain goes on");
        assertThat(engine.awaitFinal(again).get("status").asText()).isEqualTo("succeeded");
    }

    private static WebClient browser(String name, String group, String next) throws Exception {
        WebClient client = new WebClient();
        client.getOptions().setCssEnabled(false);
        client.getOptions().setJavaScriptEnabled(false);
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        provider.logInAs(name, group);
        HtmlPage landing = client.getPage(engine.base(next));
        ((HtmlAnchor) landing.getElementById("login")).click();
        return client;
    }

    static List<Long> ids(HttpResponse<String> approvals) {
        assertThat(approvals.statusCode()).as(approvals.body()).isEqualTo(200);
        List<Long> ids = new java.util.ArrayList<>();
        engine.read(approvals.body())
                .get("approvals")
                .forEach(a -> ids.add(a.get("run").get("id").asLong()));
        return ids;
    }
}
