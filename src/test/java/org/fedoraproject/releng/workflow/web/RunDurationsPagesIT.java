package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pages say about durations, as a browser without JavaScript gets them: a running run's
 * progress bar expects the median of the last successful runs, and the workflow page draws one
 * bar per recent run. The history is real sleeper runs of different lengths, one of them cancelled.
 */
class RunDurationsPagesIT {

    @TempDir
    static Path home;

    static TestEngine engine;
    /** The sleeper's runs, oldest first, as the API has them once they ended. */
    static final List<JsonNode> history = new ArrayList<>();
    /** The progress bar of the sleeper run that ran after the successful ones, or null when it had none. */
    static String progressMax;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start(home, null);
        // the sleeper takes one run at a time, so these run one after another, in this order
        List<Long> ids = new ArrayList<>();
        for (int seconds : new int[] {0, 4, 1}) {
            ids.add(engine.trigger("sleeper", "{\"seconds\": " + seconds + "}")
                    .get("id")
                    .asLong());
        }
        for (long id : ids) {
            assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");
        }
        long running = engine.trigger("sleeper", "{\"seconds\": 60}").get("id").asLong();
        JsonNode run = engine.awaitStatus(running, "running");
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(
                    engine.url("/job/sleeper/" + run.get("number").asInt() + "/"));
            DomElement progress = page.getElementById("progress");
            progressMax = progress == null ? null : progress.getAttribute("max");
        }
        assertThat(engine.post("/api/runs/" + running + "/cancel", null, TestEngine.TOKEN)
                        .statusCode())
                .isIn(200, 202);
        ids.add(running);
        for (long id : ids) {
            history.add(engine.awaitFinal(id));
        }
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
    void aRunningRunExpectsTheMedianOfTheSuccessfulRunsBeforeIt() {
        List<Long> seconds = new ArrayList<>();
        for (JsonNode run : history) {
            if (run.get("status").asText().equals("succeeded")) {
                seconds.add(run.get("durationSeconds").asLong());
            }
        }
        assertThat(seconds).hasSize(3);
        seconds.sort(null);
        assertThat(progressMax)
                .as("the progress bar's max, for successful runs of %s s", seconds)
                .isEqualTo(String.valueOf(Math.max(1, seconds.get(1))));
    }

    @Test
    void aRunWithoutSuccessfulRunsBeforeItHasNoProgressBar() throws Exception {
        // this workflow has never succeeded here: it waits for a file, so that it is running while looked at
        Path go = home.resolve("go-first");
        JsonNode run = engine.trigger("burst-when-told", "{\"lines\": 1, \"start_file\": \"" + go + "\"}");
        long id = run.get("id").asLong();
        engine.awaitStatus(id, "running");
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(
                    engine.url("/job/burst-when-told/" + run.get("number").asInt() + "/"));
            assertThat(page.getElementById("status").asNormalizedText()).isEqualTo("running");
            assertThat(page.getElementById("progress")).as("no history, no bar").isNull();
        } finally {
            Files.writeString(go, "go");
        }
        assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void theTrendHasOneBarPerRunOldestFirstColouredByStatusAndAsTallAsItTook() throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(engine.url("/job/sleeper/"));
            DomElement trend = page.getElementById("trend");
            assertThat(trend).as("the trend").isNotNull();
            List<DomElement> bars = new ArrayList<>();
            trend.querySelectorAll("rect").forEach(node -> bars.add((DomElement) node));
            assertThat(bars).as(trend.asXml()).hasSameSizeAs(history);

            long longest = history.stream()
                    .mapToLong(RunDurationsPagesIT::millis)
                    .max()
                    .orElseThrow();
            int previousX = -1;
            for (int i = 0; i < bars.size(); i++) {
                DomElement bar = bars.get(i);
                JsonNode run = history.get(i);
                String status = run.get("status").asText();
                assertThat(bar.getAttribute("class")).as("bar %d's class", i).isEqualTo(status);
                int x = Integer.parseInt(bar.getAttribute("x"));
                assertThat(x).as("bar %d is right of the one before", i).isGreaterThan(previousX);
                previousX = x;
                double expected = millis(run) * (RunDurations.TREND_HEIGHT - 4.0) / longest;
                assertThat(Double.parseDouble(bar.getAttribute("height")))
                        .as("bar %d's height for %d ms of %d ms", i, millis(run), longest)
                        .isCloseTo(Math.max(2, expected), within(2.0));
                assertThat(bar.querySelector("title").getTextContent())
                        .as("bar %d's tooltip names the run", i)
                        .startsWith("#" + run.get("number").asInt() + " " + status + ", ")
                        .endsWith(" s");
            }
            assertThat(history.get(history.size() - 1).get("status").asText()).isEqualTo("cancelled");
        }
    }

    private static long millis(JsonNode run) {
        return Duration.between(
                        Instant.parse(run.get("startedAt").asText()),
                        Instant.parse(run.get("finishedAt").asText()))
                .toMillis();
    }
}
