package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole-log viewer and its API, read without JavaScript as a plain browser or script would. */
class ConsoleViewerIT {

    static final int APPENDED = 5000;

    @TempDir
    static Path home;

    static TestEngine engine;
    static long runId;
    /** The line number of "appended 1". */
    static long base;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start(home, null);
        runId = engine.trigger("echo-params", null).get("id").asLong();
        engine.awaitFinal(runId);
        base = engine.read(engine.get("/api/runs/" + runId + "/log/lines?count=0")
                                .body())
                        .get("total")
                        .asLong()
                + 1;
        // a chatty playbook's worth of lines (over 256 KiB, so the run page shows only the tail)
        Path log = home.resolve("data/logs/" + (runId / 1000) + "/" + runId + ".log");
        try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
            for (int i = 1; i <= APPENDED; i++) {
                String text = i == 3000
                        ? "appended 3000 <script>alert('x')</script>"
                        : i % 1000 == 500 ? "appended " + i + " Needle found" : "appended " + i + " " + "-".repeat(60);
                out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            }
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
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        return client;
    }

    private static String console() {
        return engine.url("/job/echo-params/1/console");
    }

    private static long total() {
        return base + APPENDED - 1;
    }

    @Test
    void theConsoleOpensAtTheEndAndPagesBackToLineOne() throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(console());
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(page.getElementById("L" + total()).asNormalizedText())
                    .endsWith("appended 5000 " + "-".repeat(60));
            assertThat(page.getElementById("L" + (total() - ConsolePage.PAGE))).isNull();
            assertThat(page.getElementById("pager-top").asNormalizedText()).contains("of " + total());
            int pages = 0;
            while (page.getElementById("L1") == null) {
                page = ((HtmlAnchor) page.getFirstByXPath("//nav[@id='pager-top']/a[@class='earlier']")).click();
                pages++;
            }
            assertThat(pages).isEqualTo((int) ((total() - 1) / ConsolePage.PAGE));
            assertThat(page.getElementById("L1").getLastElementChild().getTextContent())
                    .startsWith("Started ");
            page = ((HtmlAnchor) page.getFirstByXPath("//nav[@id='pager-top']/a[@class='later']")).click();
            assertThat(page.getElementById("L" + (ConsolePage.PAGE + 1))).isNotNull();
        }
    }

    @Test
    void aLineCanBeOpenedAndLinkedTo() throws Exception {
        long line = base + 1233;
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(console() + "?line=" + line);
            DomElement target = page.getElementById("L" + line);
            assertThat(target.getAttribute("class")).contains("target");
            assertThat(target.asNormalizedText()).contains("appended 1234 ");
            HtmlAnchor anchor = target.getFirstByXPath("a");
            assertThat(anchor.getHrefAttribute()).isEqualTo("?line=" + line + "#L" + line);
        }
    }

    @Test
    void aLineBeyondTheEndOpensTheLastPage() throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(console() + "?line=999999999");
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(200);
            assertThat(page.getElementById("L" + total())).isNotNull();
        }
    }

    @Test
    void aLogLineIsShownAsTextNeverAsMarkup() throws Exception {
        long line = base + 2999;
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(console() + "?line=" + line);
            assertThat(page.getElementById("L" + line).asNormalizedText())
                    .contains("appended 3000 <script>alert('x')</script>");
            assertThat(page.getWebResponse().getContentAsString())
                    .doesNotContain("<script>alert")
                    .contains("&lt;script&gt;alert");
        }
    }

    @Test
    void searchListsMatchesThatLinkToTheirLines() throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(console());
            HtmlForm form = page.getHtmlElementById("search-form");
            form.getInputByName("q").setValue("NEEDLE FOUND");
            page = form.getOneHtmlElementByAttribute("button", "type", "submit").click();
            DomElement matches = page.getElementById("matches");
            assertThat(matches.asNormalizedText())
                    .contains("appended 500 Needle found")
                    .contains("appended 4500 Needle found");
            assertThat(matches.getElementsByTagName("a")).hasSize(5);
            HtmlAnchor first = matches.getFirstByXPath("div/a");
            assertThat(first.getTextContent()).isEqualTo(String.valueOf(base + 499));
            page = first.click();
            assertThat(page.getElementById("L" + (base + 499)).getAttribute("class"))
                    .contains("target");
        }
    }

    @Test
    void anInvalidRegexIsExplainedOnThePageAndRefusedByTheApi() throws Exception {
        String q = URLEncoder.encode("(unclosed", StandardCharsets.UTF_8);
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(console() + "?regex=on&q=" + q);
            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(page.getElementById("search-error").asNormalizedText())
                    .contains("not a valid regular expression");
        }
        HttpResponse<String> api = engine.get("/api/runs/" + runId + "/log/search?regex=true&q=" + q);
        assertThat(api.statusCode()).isEqualTo(400);
        assertThat(engine.read(api.body()).path("fields").path("q").asText())
                .contains("not a valid regular expression");

        String costly = URLEncoder.encode("(.*a){8}x", StandardCharsets.UTF_8);
        HttpResponse<String> slow = engine.get("/api/runs/" + runId + "/log/search?regex=true&q=" + costly);
        assertThat(slow.statusCode()).isEqualTo(400);
        assertThat(slow.body()).contains("too costly");
    }

    @Test
    void theRunPagesSkippedMarkerOpensTheWholeLogWhereTheTailBegins() throws Exception {
        try (WebClient browser = browser()) {
            HtmlPage run = browser.getPage(engine.url("/job/echo-params/1/"));
            String tail = run.getElementById("console").getTextContent();
            String firstShown = tail.substring(0, tail.indexOf('\n'));
            HtmlAnchor skipped = (HtmlAnchor) run.getElementById("skipped");
            assertThat(skipped.getTextContent()).contains("KiB skipped");
            HtmlPage console = skipped.click();
            DomElement target = console.getFirstByXPath("//div[contains(@class,'target')]");
            long line = Long.parseLong(target.getId().substring(1));
            assertThat(console.getElementById("L" + (line + 1))
                            .getLastElementChild()
                            .getTextContent())
                    .isEqualTo(firstShown);
        }
    }

    @Test
    void linesAreAWindowWithTheTotalAndCountIsCapped() {
        JsonNode body = engine.read(engine.get("/api/runs/" + runId + "/log/lines?from=" + (base + 9) + "&count=2")
                .body());
        assertThat(body.get("from").asLong()).isEqualTo(base + 9);
        assertThat(body.get("lines").get(0).asText()).startsWith("appended 10 ");
        assertThat(body.get("lines")).hasSize(2);
        assertThat(body.get("total").asLong()).isEqualTo(total());
        assertThat(body.get("next").asLong()).isEqualTo(base + 11);
        assertThat(body.get("growing").asBoolean()).isFalse();

        JsonNode capped = engine.read(engine.get("/api/runs/" + runId + "/log/lines?from=1&count=100000")
                .body());
        assertThat(capped.get("lines")).hasSize(ConsoleApi.MAX_COUNT);

        JsonNode last = engine.read(engine.get("/api/runs/" + runId + "/log/lines?from=" + total() + "&count=5")
                .body());
        assertThat(last.get("lines")).hasSize(1);
        assertThat(last.get("next").isNull()).isTrue();

        JsonNode timed = engine.read(engine.get("/api/runs/" + runId + "/log/lines?from=1&count=3&times=true")
                .body());
        assertThat(timed.get("times")).hasSize(3);
        assertThat(timed.get("times").get(0).asLong())
                .isBetween(System.currentTimeMillis() / 1000 - 600, System.currentTimeMillis() / 1000);

        HttpResponse<String> bad = engine.get("/api/runs/" + runId + "/log/lines?from=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(engine.read(bad.body()).path("fields").has("from")).isTrue();
    }

    @Test
    void searchIsPagedWithAfterAndNext() {
        JsonNode first = engine.read(engine.get("/api/runs/" + runId + "/log/search?q=needle&limit=2")
                .body());
        assertThat(first.get("matches")).hasSize(2);
        assertThat(first.get("matches").get(0).get("line").asLong()).isEqualTo(base + 499);
        long next = first.get("next").asLong();
        JsonNode rest = engine.read(engine.get("/api/runs/" + runId + "/log/search?q=needle&after=" + next)
                .body());
        assertThat(rest.get("matches")).hasSize(3);
        assertThat(rest.get("next").isNull()).isTrue();
    }

    @Test
    void aGrowingLogIsSearchedAsFarAsItIsWrittenAndSaysSo() throws Exception {
        Path release = home.resolve("release-" + System.nanoTime());
        long id = engine.trigger("print-many-lines", "{\"lines\": 300, \"wait_for_file\": \"" + release + "\"}")
                .get("id")
                .asLong();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> engine.read(engine.get("/api/runs/" + id + "/log/search?q=%22299%22")
                                        .body())
                                .get("matches")
                                .size()
                        > 0);
        JsonNode growing = engine.read(
                engine.get("/api/runs/" + id + "/log/search?q=Finished:").body());
        assertThat(growing.get("growing").asBoolean()).isTrue();
        assertThat(growing.get("matches")).isEmpty();
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(engine.url("/job/print-many-lines/1/console?q=299"));
            assertThat(page.getElementById("search-growing")).isNotNull();
        }
        Files.createFile(release);
        engine.awaitFinal(id);
        JsonNode done = engine.read(
                engine.get("/api/runs/" + id + "/log/search?q=Finished:").body());
        assertThat(done.get("growing").asBoolean()).isFalse();
        assertThat(done.get("matches")).hasSize(1);
    }

    @Test
    void aRestrictedRunsConsoleLinesAndSearchAreHiddenFromAnonymous() {
        long id = engine.trigger("restricted-chore", null).get("id").asLong();
        engine.awaitFinal(id);
        assertThat(engine.get("/job/restricted-chore/1/console").statusCode()).isEqualTo(404);
        assertThat(engine.get("/job/restricted-chore/1/console?q=x").statusCode())
                .isEqualTo(404);
        assertThat(engine.get("/api/runs/" + id + "/log/lines").statusCode()).isEqualTo(404);
        assertThat(engine.get("/api/runs/" + id + "/log/search?q=x").statusCode())
                .isEqualTo(404);
        assertThat(engine.getWithToken("/api/runs/" + id + "/log/lines").statusCode())
                .isEqualTo(200);
        assertThat(engine.getWithToken("/api/runs/" + id + "/log/search?q=x").statusCode())
                .isEqualTo(200);
    }
}
