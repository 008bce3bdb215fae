package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.fedoraproject.releng.workflow.testsupport.Chromium;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With JavaScript, scrolling the console loads more lines, in both directions, as text. */
class ConsoleScrollBrowserIT {

    @TempDir
    Path home;

    @Test
    void scrollingLoadsLaterAndEarlierLines() throws Exception {
        try (TestEngine engine = TestEngine.start(home, null);
                Chromium chromium = Chromium.start()) {
            long id = engine.trigger("echo-params", null).get("id").asLong();
            engine.awaitFinal(id);
            Path log = home.resolve("data/logs/" + (id / 1000) + "/" + id + ".log");
            long base = engine.read(engine.get("/api/runs/" + id + "/log/lines?count=0")
                                    .body())
                            .get("total")
                            .asLong()
                    + 1;
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                for (int i = 1; i <= 3000; i++) {
                    String text = i == 700 ? "line 700 <img src=x onerror=alert(1)>" : "line " + i;
                    out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            chromium.open(engine.url("/job/echo-params/1/console?from=1"));
            assertThat(chromium.text("L" + (ConsolePage.PAGE + 1))).isNull();
            chromium.execute("window.scrollTo(0, document.documentElement.scrollHeight);");
            long later = base + 699;
            await().atMost(Duration.ofSeconds(20)).until(() -> chromium.text("L" + later) != null);
            // loaded as text: the markup in the line is shown, not run
            assertThat(chromium.text("L" + later)).endsWith("line 700 <img src=x onerror=alert(1)>");
            assertThat(chromium.execute("return document.querySelectorAll('#lines img').length;")
                            .asInt())
                    .isZero();

            chromium.open(engine.url("/job/echo-params/1/console?from=2001"));
            // the page opens at its top (line 2001), so the lines above it are loaded at once
            await().atMost(Duration.ofSeconds(20)).until(() -> chromium.text("L1600") != null);
            assertThat(chromium.text("L1600")).isEqualTo("1600line " + (1600 - base + 1));
            assertThat(chromium.consoleMessages()).noneMatch(m -> m.contains("Content Security Policy"));
        }
    }
}
