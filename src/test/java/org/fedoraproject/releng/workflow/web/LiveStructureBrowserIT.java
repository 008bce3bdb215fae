package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.Chromium;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structure section of a running run's page, in Chromium: tasks and recap arrive without a reload. */
class LiveStructureBrowserIT {

    @TempDir
    Path home;

    @Test
    void theTaskListAndTheRecapGrowAsThePlaybookRunsAndTheFailedTaskLinksItsConsoleLine() throws Exception {
        Path go = home.resolve("go");
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("event-workflows"), catalog);
        try (TestEngine engine = TestEngine.startWith(home, catalog, null, Map.of());
                Chromium browser = Chromium.start()) {
            JsonNode run = engine.trigger("paced-failure", "{\"go\":\"" + go + "\"}");
            long id = run.get("id").asLong();
            engine.awaitStatus(id, "running");
            browser.open(engine.base("/job/paced-failure/" + run.get("number").asLong() + "/"));
            browser.execute("window.notReloaded = true;");

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> tasks(browser).contains("Waits for the go"));
            assertThat(tasks(browser)).doesNotContain("Breaks on b");
            assertThat(browser.has("#hosts"))
                    .as("no recap before the play ends")
                    .isFalse();

            Files.writeString(go, "go");

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> browser.has("#hosts"));
            assertThat(tasks(browser)).containsExactly("Waits for the go", "Breaks on b", "Only a gets here");
            assertThat(browser.execute("return Array.from(document.querySelectorAll('#hosts tbody tr td:first-child'))"
                                    + ".map(function (c) { return c.textContent; });")
                            .toString())
                    .isEqualTo("[\"a\",\"b\"]");
            String link = browser.execute("var a = document.querySelector('#broken-tasks a');"
                            + " return a ? a.getAttribute('href') : null;")
                    .asText();
            assertThat(browser.text("broken-tasks")).contains("Breaks on b").contains("1 of 2 hosts");
            assertThat(link).matches("/job/paced-failure/\\d+/console\\?line=\\d+#L\\d+");
            int line = Integer.parseInt(link.substring(link.indexOf("line=") + 5, link.indexOf('#')));
            JsonNode lines = engine.read(engine.getWithToken("/api/runs/" + id + "/log/lines?from=" + line + "&count=1")
                    .body());
            assertThat(lines.get("lines").get(0).asText())
                    .as("the linked console line is the failure's")
                    .contains("[b]")
                    .contains("FAILED");
            assertThat(browser.execute("return window.notReloaded === true;").asBoolean())
                    .as("the page was never reloaded")
                    .isTrue();
        }
    }

    private static List<String> tasks(Chromium browser) {
        JsonNode names =
                browser.execute("return Array.from(document.querySelectorAll('#tasks tbody tr.task td:nth-child(2)'))"
                        + ".map(function (c) { return c.firstChild ? c.firstChild.textContent : ''; });");
        List<String> result = new java.util.ArrayList<>();
        names.forEach(n -> result.add(n.asText()));
        return result;
    }
}
