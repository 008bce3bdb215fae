package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedoraproject.releng.workflow.testsupport.Chromium;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages still work in a browser that enforces the Content-Security-Policy: the run page's
 * live console (a script file and an EventSource) follows a running run to its end, and no page
 * makes Chromium report a blocked script, style or connection.
 */
class ContentSecurityPolicyBrowserIT {

    @TempDir
    static Path home;

    static TestEngine engine;
    static Chromium browser;

    @BeforeAll
    static void start() {
        engine = TestEngine.start(home, null);
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        try {
            browser.close();
        } finally {
            engine.close();
        }
    }

    @Test
    void liveConsoleFollowsARunningRunUnderThePolicyAndNoPageReportsAViolation() {
        long id = engine.trigger("sleeper", "{\"seconds\": 6}").get("id").asLong();
        engine.awaitStatus(id, "running");
        String runPage =
                engine.url("/job/sleeper/" + engine.run(id).get("number").asInt() + "/");
        List<String> console = new ArrayList<>();

        browser.open(runPage);
        assertThat(browser.text("status")).as("loaded while running").isEqualTo("running");
        assertThat(browser.text("console")).doesNotContain("awake after");

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "succeeded".equals(browser.text("status")));
        assertThat(browser.text("console"))
                .as("lines the stream appended, without a reload")
                .contains("awake after 6 seconds");
        console.addAll(browser.consoleMessages());

        for (String page : List.of("/", "/job/sleeper/", "/whoami", "/job/sleeper/999/")) {
            browser.open(engine.url(page));
            assertThat(browser.text("who")).as("%s rendered", page).isNotNull();
            console.addAll(browser.consoleMessages());
        }
        assertThat(console).as("Chromium's console").noneMatch(m -> m.contains("Content Security Policy"));
    }
}
