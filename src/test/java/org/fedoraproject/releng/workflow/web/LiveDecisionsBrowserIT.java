package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.fedoraproject.releng.workflow.testsupport.Chromium;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.HttpUser;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run page left open in Chromium while others decide: its approval section and a chain's steps
 * follow without a reload.
 */
class LiveDecisionsBrowserIT {

    @TempDir
    static Path home;

    static FedoraLikeProvider provider;
    static TestEngine engine;
    static HttpUser alice;
    static HttpUser bob;
    static HttpUser dave;

    @BeforeAll
    static void start() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("approval-workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("chain-workflows"), catalog);
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        engine = TestEngine.startWithLogin(home, provider);
        alice = HttpUser.logIn(engine, provider, "alice", "qa");
        bob = HttpUser.logIn(engine, provider, "bob", "approvers");
        dave = HttpUser.logIn(engine, provider, "dave", "approvers");
    }

    @AfterAll
    static void stop() {
        engine.close();
        provider.close();
    }

    private static JsonNode ask(String workflow, String parameters) {
        HttpResponse<String> r =
                alice.post("/api/workflows/" + workflow + "/runs", "{\"parameters\":" + parameters + "}", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return engine.read(r.body());
    }

    private static void decide(HttpUser who, long run, String body) {
        HttpResponse<String> r = who.post("/api/runs/" + run + "/approve", body, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Opens the page in Chromium as an approver who may decide what it shows. */
    private static void openAsApprover(Chromium browser, String page) {
        browser.open(engine.base(page));
        provider.logInAs("erin", "approvers");
        browser.click("#login");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> browser.currentUrl().endsWith(page) && browser.has("#status"));
    }

    private static String stepStatus(Chromium browser, String step) {
        return browser.execute(
                        "var e = document.querySelector('li[data-step=\"' + arguments[0] + '\"] .status');"
                                + " return e ? e.textContent : null;",
                        step)
                .asText();
    }

    @Test
    void anApprovalDecidedElsewhereReplacesTheButtonsWithItsOutcome() {
        JsonNode run = ask("freeze-push", "{\"token\":\"live-page-s3cr3t\"}");
        long id = run.get("id").asLong();
        String page = "/job/freeze-push/" + run.get("number").asLong() + "/";
        try (Chromium browser = Chromium.start()) {
            openAsApprover(browser, page);
            assertThat(browser.text("status")).isEqualTo("waiting_approval");
            assertThat(browser.has("#approve")).isTrue();
            browser.execute("window.notReloaded = true;");

            decide(bob, id, "{\"comment\":\"fine\"}");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> browser.text("approval-needs").contains("1 so far"));
            assertThat(browser.has("#approve")).as("erin may still decide").isTrue();
            decide(dave, id, "{\"comment\":\"go\"}");

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> browser.has("#approval-outcome"));
            assertThat(browser.text("approval-outcome")).isEqualTo("approved");
            assertThat(browser.has("#approve")).as("nothing to decide any more").isFalse();
            assertThat(browser.has("#deny")).isFalse();
            assertThat(browser.text("approval-decisions")).contains("bob").contains("dave");
            await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(browser.text("status")));
            assertThat(browser.execute("return window.notReloaded === true;").asBoolean())
                    .as("the page was never reloaded")
                    .isTrue();
        }
    }

    @Test
    void aChainsStepsFollowItsGateAndItsStepsWithoutAReload() {
        JsonNode run = ask("gated-chain", "{}");
        long id = run.get("id").asLong();
        String page = "/job/gated-chain/" + run.get("number").asLong() + "/";
        try (Chromium browser = Chromium.start()) {
            openAsApprover(browser, page);
            browser.execute("window.notReloaded = true;");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "waiting_approval".equals(stepStatus(browser, "go")));
            assertThat(stepStatus(browser, "first")).isEqualTo("succeeded");
            assertThat(browser.has("li[data-step=\"first\"] a"))
                    .as("the step's run is linked")
                    .isTrue();
            assertThat(browser.has("#approve-go")).isTrue();
            assertThat(browser.has("li[data-step=\"then\"] a")).as("no run yet").isFalse();

            decide(bob, id, "{\"comment\":\"ok\",\"step\":\"go\"}");
            decide(dave, id, "{\"comment\":\"ok\",\"step\":\"go\"}");

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "succeeded".equals(stepStatus(browser, "then")));
            assertThat(stepStatus(browser, "go")).isEqualTo("succeeded");
            assertThat(browser.has("li[data-step=\"then\"] a"))
                    .as("the new step's run is linked")
                    .isTrue();
            assertThat(browser.has("#approve-go")).as("the gate is decided").isFalse();
            assertThat(browser.execute("return document.querySelector('#gate-go .gate-outcome').textContent;")
                            .asText())
                    .isEqualTo("approved");
            assertThat(browser.execute("return window.notReloaded === true;").asBoolean())
                    .as("the page was never reloaded")
                    .isTrue();
        }
    }
}
