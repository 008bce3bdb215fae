package org.fedoraproject.releng.workflow.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

/**
 * A whole engine with people logged in through a real OIDC provider: QA (alice, carol) asks for
 * runs of workflows with an approval rule, approvers (bob, dave, erin) decide, releng (rita) needs
 * none. freeze-push needs two approvals within an hour; quick-approval one within two seconds.
 */
class ApprovalsIT {

    static final String SECRET = "s3cr3t-freeze-token";

    @TempDir
    static Path home;

    static FedoraLikeProvider provider;
    static TestEngine engine;
    static HttpUser alice;
    static HttpUser carol;
    static HttpUser bob;
    static HttpUser dave;
    static HttpUser erin;

    @BeforeAll
    static void start() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("approval-workflows"), catalog);
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        engine = TestEngine.startWithLogin(home, provider);
        alice = HttpUser.logIn(engine, provider, "alice", "qa");
        carol = HttpUser.logIn(engine, provider, "carol", "qa");
        bob = HttpUser.logIn(engine, provider, "bob", "approvers");
        dave = HttpUser.logIn(engine, provider, "dave", "approvers");
        erin = HttpUser.logIn(engine, provider, "erin", "approvers", "qa");
    }

    @AfterAll
    static void stop() {
        engine.close();
        provider.close();
    }

    static JsonNode ask(HttpUser who, String workflow, String parameters) {
        HttpResponse<String> r =
                who.post("/api/workflows/" + workflow + "/runs", "{\"parameters\":" + parameters + "}", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return engine.read(r.body());
    }

    static HttpResponse<String> decide(HttpUser who, long run, String verdict, String comment) {
        return who.post("/api/runs/" + run + "/" + verdict, "{\"comment\":\"" + comment + "\"}", true);
    }

    static Optional<String> sealedSecrets(long run) {
        return engine.engine()
                .database()
                .jdbi()
                .withHandle(h -> h.createQuery("select secrets_sealed from run where id = :id")
                        .bind("id", run)
                        .mapTo(String.class)
                        .findOne());
    }

    @Test
    void aRunWaitsUntilTwoDistinctApproversAgreeAndThenRuns() {
        JsonNode created = ask(alice, "freeze-push", "{\"token\":\"" + SECRET + "\"}");
        long id = created.get("id").asLong();
        assertThat(created.get("status").asText()).isEqualTo("waiting_approval");
        // not dispatched: it stays waiting, its secret sealed
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> engine.run(id).get("status").asText().equals("waiting_approval"));
        assertThat(sealedSecrets(id)).isPresent();
        JsonNode waiting = engine.run(id);
        assertThat(waiting.get("approval").get("required").asInt()).isEqualTo(2);
        assertThat(waiting.get("approval").get("starter").asText()).isEqualTo("alice");
        assertThat(waiting.toString()).doesNotContain(SECRET);

        HttpResponse<String> own = decide(alice, id, "approve", "mine");
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("alice started freeze-push").contains("never decided by its own starter");
        long erins = ask(erin, "freeze-push", "{\"token\":\"" + SECRET + "\"}")
                .get("id")
                .asLong();
        HttpResponse<String> approverStarter = decide(erin, erins, "approve", "mine too");
        assertThat(approverStarter.statusCode()).isEqualTo(403);
        assertThat(approverStarter.body())
                .contains("erin started freeze-push")
                .contains("never decided by its own starter");
        HttpResponse<String> noPermission = decide(carol, id, "approve", "looks fine");
        assertThat(noPermission.statusCode()).isEqualTo(403);
        assertThat(noPermission.body()).contains("needs the `approve` permission on workflow `freeze-push`");
        assertThat(decide(bob, id, "approve", "fine", false).statusCode()).isEqualTo(403);

        HttpResponse<String> first = decide(bob, id, "approve", "ok for the freeze");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(engine.read(first.body()).get("status").asText()).isEqualTo("waiting_approval");
        assertThat(decide(bob, id, "approve", "again").statusCode()).isEqualTo(409);
        assertThat(ids(dave.get("/api/approvals"))).contains(id);
        assertThat(ids(alice.get("/api/approvals"))).doesNotContain(id);

        HttpResponse<String> second = decide(dave, id, "approve", "agreed");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(decide(erin, id, "deny", "too late").statusCode()).isEqualTo(409);
        JsonNode done = engine.awaitFinal(id);

        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(engine.log(id)).doesNotContain(SECRET);
        JsonNode decisions = done.get("approval").get("decisions");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).get("by").asText()).isEqualTo("bob");
        assertThat(decisions.get(0).get("comment").asText()).isEqualTo("ok for the freeze");
        assertThat(decisions.get(1).get("by").asText()).isEqualTo("dave");
        List<String> history = new ArrayList<>();
        done.get("transitions")
                .forEach(t -> history.add(t.get("from").asText() + ">"
                        + t.get("to").asText() + " " + t.get("actor").asText() + ": "
                        + t.get("reason").asText()));
        assertThat(history.subList(0, 3))
                .containsExactly(
                        "null>waiting_approval alice: Started by user alice",
                        "waiting_approval>waiting_approval bob: approved by bob (1 of 2): ok for the freeze",
                        "waiting_approval>queued dave: approved by dave (2 of 2): agreed");
    }

    static HttpResponse<String> decide(HttpUser who, long run, String verdict, String comment, boolean csrf) {
        return who.post("/api/runs/" + run + "/" + verdict, "{\"comment\":\"" + comment + "\"}", csrf);
    }

    static List<Long> ids(HttpResponse<String> approvals) {
        assertThat(approvals.statusCode()).as(approvals.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        engine.read(approvals.body())
                .get("approvals")
                .forEach(a -> ids.add(a.get("run").get("id").asLong()));
        return ids;
    }

    @Test
    void aDenialRejectsTheRunWithWhoAndWhyAndWipesItsSecrets() {
        long id = ask(alice, "freeze-push", "{\"token\":\"" + SECRET + "\"}")
                .get("id")
                .asLong();

        HttpResponse<String> denied = decide(bob, id, "deny", "not during the freeze");

        assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
        JsonNode run = engine.run(id);
        assertThat(run.get("status").asText()).isEqualTo("rejected");
        JsonNode last = run.get("transitions").get(run.get("transitions").size() - 1);
        assertThat(last.get("actor").asText()).isEqualTo("bob");
        assertThat(last.get("reason").asText()).isEqualTo("denied by bob: not during the freeze");
        assertThat(run.get("approval").get("outcome").asText()).isEqualTo("denied");
        assertThat(sealedSecrets(id)).isEmpty();
        assertThat(engine.log(id)).doesNotContain(SECRET);
        assertThat(decide(dave, id, "approve", "after all").statusCode()).isEqualTo(409);
    }

    @Test
    void aRunNobodyDecidesIsRejectedAtItsDeadline() {
        long id = ask(alice, "quick-approval", "{}").get("id").asLong();

        JsonNode run = engine.awaitStatus(id, "rejected");

        JsonNode decision = run.get("approval").get("decisions").get(0);
        assertThat(decision.get("by").asText()).isEqualTo("engine");
        assertThat(decision.get("decision").asText()).isEqualTo("timed_out");
        assertThat(run.get("transitions").get(1).get("reason").asText()).startsWith("not approved in time");
        assertThat(run.get("startedAt").isNull()).isTrue();
        HttpResponse<String> late = decide(bob, id, "approve", "sorry, late");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("not waiting for approval");
    }

    @Test
    void releaseEngineeringNeedsNoApprovalBecauseTheRuleSaysSo() {
        HttpUser rita = HttpUser.logIn(engine, provider, "rita", "releng");

        JsonNode run = ask(rita, "freeze-push", "{\"token\":\"" + SECRET + "\"}");

        assertThat(run.get("status").asText()).isEqualTo("queued");
        assertThat(engine.awaitFinal(run.get("id").asLong()).get("status").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void twoApproversAtOnceStartTheRunExactlyOnce() throws Exception {
        for (int i = 0; i < 4; i++) {
            long id = ask(alice, "freeze-push", "{\"token\":\"" + SECRET + "\"}")
                    .get("id")
                    .asLong();
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Integer> byBob = CompletableFuture.supplyAsync(() -> {
                waitFor(go);
                return decide(bob, id, "approve", "b").statusCode();
            });
            CompletableFuture<Integer> byDave = CompletableFuture.supplyAsync(() -> {
                waitFor(go);
                return decide(dave, id, "approve", "d").statusCode();
            });
            go.countDown();

            assertThat(List.of(byBob.get(), byDave.get())).containsOnly(200);
            JsonNode done = engine.awaitFinal(id);
            assertThat(done.get("status").asText()).isEqualTo("succeeded");
            List<String> to = new ArrayList<>();
            done.get("transitions").forEach(t -> to.add(t.get("to").asText()));
            assertThat(to.stream().filter("queued"::equals)).hasSize(1);
            assertThat(to.stream().filter("running"::equals)).hasSize(1);
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRunPageOffersApproveAndDenyWithoutJavaScriptOnlyToThoseWhoMay() throws Exception {
        long id = ask(alice, "freeze-push", "{\"token\":\"" + SECRET + "\"}")
                .get("id")
                .asLong();
        long number = engine.run(id).get("number").asLong();
        String page = "/job/freeze-push/" + number + "/";

        try (WebClient asAlice = browser("alice", "qa", page)) {
            HtmlPage mine = asAlice.getPage(engine.base(page));
            assertThat(mine.getElementById("approval-form")).isNull();
            assertThat(mine.getElementById("approval-why-not").asNormalizedText())
                    .contains("never decided by its own starter");
            assertThat(mine.asXml()).doesNotContain(SECRET);
        }
        try (WebClient asBob = browser("bob", "approvers", page)) {
            HtmlPage before = asBob.getPage(engine.base(page));
            assertThat(before.getElementById("approval").asNormalizedText()).contains("Waiting for approval");
            HtmlForm form = (HtmlForm) before.getElementById("approval-form");
            form.getInputByName("comment").setValue("fine by me");
            HtmlPage after = ((HtmlButton) before.getElementById("approve")).click();

            assertThat(after.getUrl().getPath()).isEqualTo(page);
            assertThat(after.getElementById("approval-decisions").asNormalizedText())
                    .contains("bob")
                    .contains("fine by me");
            assertThat(after.getElementById("approval-form")).isNull();
        }
        try (WebClient asDave = browser("dave", "approvers", "/")) {
            HtmlPage dashboard = asDave.getPage(engine.base("/"));
            assertThat(dashboard.getElementById("waiting-approval").asNormalizedText())
                    .contains("freeze-push #" + number);
            HtmlPage run = asDave.getPage(engine.base(page));
            HtmlPage denied = ((HtmlButton) run.getElementById("deny")).click();
            assertThat(denied.getElementById("status").asNormalizedText()).isEqualTo("rejected");
        }
    }

    @Test
    void someoneWhoLostApproveMeanwhileIsRefused() throws Exception {
        Path file = engine.catalogDir().resolve("quick-approval.yaml");
        String before = Files.readString(file);
        try {
            Files.writeString(
                    file, before.replace("approval: {count: 1, timeout: 2s}", "approval: {count: 1, timeout: 1h}"));
            engine.engine().catalog().reload();
            long waiting = ask(alice, "quick-approval", "{}").get("id").asLong();
            Files.writeString(file, before.replace("  - {group: approvers, allow: [approve]}\n", ""));
            engine.engine().catalog().reload();

            HttpResponse<String> refused = decide(bob, waiting, "approve", "still ok?");

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("needs the `approve` permission");
            assertThat(engine.run(waiting).get("status").asText()).isEqualTo("waiting_approval");
            assertThat(ids(bob.get("/api/approvals"))).doesNotContain(waiting);
        } finally {
            Files.writeString(file, before);
            engine.engine().catalog().reload();
        }
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
}
