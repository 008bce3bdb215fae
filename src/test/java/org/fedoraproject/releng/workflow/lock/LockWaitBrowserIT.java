package org.fedoraproject.releng.workflow.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.Chromium;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run page of a run waiting for a lock, in Chromium: the sentence naming the holder goes once it starts. */
class LockWaitBrowserIT {

    @TempDir
    Path home;

    @Test
    void theWaitingSentenceGoesWhenTheRunTakesTheLockWithoutAReload() throws Exception {
        Path marks = home.resolve("marks");
        Path release = home.resolve("release");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("lock-workflows"), home.resolve("workflows"));
        try (TestEngine engine = TestEngine.startWith(home, home.resolve("workflows"), null, Map.of());
                Chromium browser = Chromium.start()) {
            long holder = engine.trigger("compose-marks", Marks.params(marks, release))
                    .get("id")
                    .asLong();
            engine.awaitStatus(holder, "running");
            engine.trigger("push-marks", Marks.params(marks, null));
            browser.open(engine.base("/job/push-marks/1/"));
            assertThat(browser.text("status")).isEqualTo("queued");
            assertThat(browser.text("waiting-for")).isEqualTo("Waiting for lock compose, held by compose-marks #1");
            browser.execute("window.notReloaded = true;");

            Files.writeString(release, "go");

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "succeeded".equals(browser.text("status")));
            assertThat(browser.has("#waiting-for")).isFalse();
            assertThat(browser.execute("return window.notReloaded === true;").asBoolean())
                    .as("the page was never reloaded")
                    .isTrue();
        }
    }
}
