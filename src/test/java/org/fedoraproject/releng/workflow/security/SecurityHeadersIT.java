package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every response, whatever produced it (a page, the API, a static file, an error, a 404, a
 * refused token), forbids framing, inline script and MIME sniffing, and keeps its URL out of
 * other sites' Referer; and no template needs inline script that the policy would block.
 */
class SecurityHeadersIT {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'";

    @TempDir
    static Path home;

    static TestEngine engine;
    static long runId;

    @BeforeAll
    static void start() {
        String hash = PasswordHash.hash("correct horse".toCharArray());
        engine = TestEngine.startWithAuth(
                home,
                "localAdmin: {username: breakglass, passwordHash: \"" + hash + "\"}\n",
                Map.of(),
                Clock.systemUTC());
        runId = engine.trigger("echo-params", null).get("id").asLong();
        engine.awaitFinal(runId);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static void assertHeaders(String what, HttpResponse<String> r) {
        assertThat(r.headers().allValues("Content-Security-Policy"))
                .as("%s: CSP", what)
                .containsExactly(POLICY);
        assertThat(r.headers().firstValue("X-Content-Type-Options"))
                .as("%s", what)
                .contains("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).as("%s", what).contains("same-origin");
        assertThat(r.headers().firstValue("X-Frame-Options")).as("%s", what).contains("DENY");
    }

    @Test
    void everyKindOfResponseCarriesTheHeaders() {
        Map<String, Integer> routes = new java.util.LinkedHashMap<>();
        routes.put("/", 200);
        routes.put("/job/echo-params/", 200);
        routes.put("/job/echo-params/1/", 200);
        routes.put("/job/echo-params/1/console", 200);
        routes.put("/job/echo-params/1/consoleText", 200);
        routes.put("/login", 302);
        routes.put("/login/local", 200);
        routes.put("/whoami", 200);
        routes.put("/api/workflows", 200);
        routes.put("/api/whoami", 200);
        routes.put("/api/runs/" + runId, 200);
        routes.put("/api/runs/" + runId + "/log", 200);
        routes.put("/api/runs/" + runId + "/log/stream", 200);
        routes.put("/static/engine.css", 200);
        routes.put("/static/follow.js", 200);
        routes.put("/healthz", 200);
        routes.put("/metrics", 200);
        routes.put("/no/such/page", 404);
        routes.put("/api/runs/999999", 404);
        routes.put("/job/echo-params/not-a-number/", 400);
        routes.forEach((path, status) -> {
            HttpResponse<String> r = engine.get(path);
            assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(status);
            assertHeaders(path, r);
        });

        HttpResponse<String> badToken = engine.getWithBearer("/api/whoami", "not-a-token");
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertHeaders("a refused bearer token", badToken);
        HttpResponse<String> wrongPassword = engine.send(HttpRequest.newBuilder(URI.create(engine.url("/login/local")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=breakglass&password=wrong"))
                .build());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertHeaders("a failed login", wrongPassword);
    }

    private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_STYLE = Pattern.compile("<style\\b|\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern SCRIPT_URL = Pattern.compile("javascript:", Pattern.CASE_INSENSITIVE);

    @Test
    void noTemplateOrStaticPageHasInlineScriptHandlersOrStyles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("src/main/jte", "src/main/resources/static")) {
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                walk.filter(p -> p.toString().matches(".*\\.(jte|html?)$")).forEach(files::add);
            }
        }
        assertThat(files).as("the templates are where this test looks").anyMatch(p -> p.endsWith("layout.jte"));

        List<String> offences = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher script = SCRIPT.matcher(text);
            while (script.find()) {
                if (!script.group(1).contains("src=")) {
                    offences.add(file + ": inline <script>");
                }
            }
            for (Pattern p : List.of(HANDLER, INLINE_STYLE, SCRIPT_URL)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    offences.add(file + ": `" + m.group().strip() + "`");
                }
            }
        }
        assertThat(offences).as("the Content-Security-Policy would block these").isEmpty();
    }
}
