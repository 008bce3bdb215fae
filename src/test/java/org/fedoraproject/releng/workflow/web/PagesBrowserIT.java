package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.FailingHttpStatusCodeException;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An anonymous visitor browses from the dashboard to a run's console, as in Jenkins. */
class PagesBrowserIT {

    @TempDir
    static Path home;

    static TestEngine engine;
    static long failedRun;

    @BeforeAll
    static void start() {
        engine = TestEngine.start(home, null);
        engine.awaitFinal(engine.trigger("echo-params", "{\"label\":\"from-the-browser\"}")
                .get("id")
                .asLong());
        failedRun = engine.trigger("fail-on-second-task", null).get("id").asLong();
        engine.awaitFinal(failedRun);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static WebClient browser() {
        WebClient client = new WebClient();
        client.getOptions().setCssEnabled(false);
        client.getOptions().setJavaScriptEnabled(false);
        return client;
    }

    @Test
    void anonymousVisitorFollowsLinksFromDashboardToConsole() throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage dashboard = browser.getPage(engine.url("/"));
            assertThat(dashboard.getTitleText()).startsWith("Dashboard");
            assertThat(dashboard.getElementById("workflows").asNormalizedText())
                    .contains("Echo parameters")
                    .contains("succeeded");

            HtmlPage workflow = dashboard.getAnchorByText("Echo parameters").click();
            assertThat(workflow.getElementById("parameters").asNormalizedText())
                    .contains("release")
                    .contains("rawhide, 42");
            assertThat(workflow.getElementById("history").asNormalizedText())
                    .contains("#1")
                    .contains("succeeded");

            HtmlPage run = workflow.getAnchorByText("#1").click();
            assertThat(run.getElementById("status").asNormalizedText()).isEqualTo("succeeded");
            assertThat(run.getElementById("cause").asNormalizedText())
                    .isEqualTo("Started through the API by releng-bot");
            assertThat(run.getElementById("parameters").asNormalizedText()).contains("from-the-browser");
            assertThat(run.getElementById("console").asNormalizedText())
                    .contains("label=from-the-browser")
                    .contains("Finished: SUCCEEDED");
            assertThat(run.getElementById("transitions").asNormalizedText())
                    .contains("queued → running")
                    .contains("running → succeeded");

            String text = run.getAnchorByText("View as plain text")
                    .click()
                    .getWebResponse()
                    .getContentAsString();
            assertThat(text).contains("PLAY RECAP");
        }
    }

    @Test
    void failedRunShowsItsStatusAndError() throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage run = browser.getPage(engine.url("/job/fail-on-second-task/1/"));
            assertThat(run.getElementById("status").asNormalizedText()).isEqualTo("failed");
            assertThat(run.getElementById("console").asNormalizedText()).contains("second task failed on purpose");
        }
    }

    @Test
    void unknownRunIsAFriendlyNotFoundPage() throws Exception {
        try (WebClient browser = browser()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(true);
            try {
                browser.getPage(engine.url("/job/echo-params/999/"));
                throw new AssertionError("expected 404");
            } catch (FailingHttpStatusCodeException e) {
                assertThat(e.getStatusCode()).isEqualTo(404);
                assertThat(e.getResponse().getContentAsString())
                        .contains("no run echo-params #999")
                        .contains("Back to the dashboard");
            }
        }
    }
}
