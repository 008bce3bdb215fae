package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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
 * People log in through a real OIDC provider (mock-oauth2-server on loopback) into a whole engine,
 * and what their FAS groups allow decides what they see and may do. The matrix is the test one:
 * anonymous may read, group releng is admin; qa-smoke lets qa run, echo-params does not.
 */
class LoginIT {

    @TempDir
    static Path home;

    static FedoraLikeProvider provider;
    static TestEngine engine;

    @BeforeAll
    static void start() {
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        engine = TestEngine.startWithLogin(home, provider);
    }

    @AfterAll
    static void stop() {
        engine.close();
        provider.close();
    }

    private static WebClient browser() {
        WebClient client = new WebClient();
        client.getOptions().setCssEnabled(false);
        client.getOptions().setJavaScriptEnabled(false);
        client.getOptions().setThrowExceptionOnFailingStatusCode(false);
        return client;
    }

    @Test
    void relengMemberLogsInThroughTheProviderAndRunsAWorkflowFromItsPage() throws Exception {
        provider.logInAs("rita", "releng");
        try (WebClient browser = browser()) {
            HtmlPage workflow = browser.getPage(engine.base("/job/echo-params/"));
            assertThat(workflow.getElementById("run-form"))
                    .as("no Run form for anonymous")
                    .isNull();

            HtmlPage back = ((HtmlAnchor) workflow.getElementById("login")).click();

            assertThat(back.getUrl().getPath()).isEqualTo("/job/echo-params/");
            assertThat(back.getElementById("user").asNormalizedText()).isEqualTo("rita");
            HtmlForm form = (HtmlForm) back.getElementById("run-form");
            assertThat(form).isNotNull();
            assertThat(back.getElementById("p-release").getTagName()).isEqualTo("select");
            assertThat(back.getElementById("p-notes").getTagName()).isEqualTo("textarea");
            assertThat(back.getElementById("p-dry_run").getAttribute("type")).isEqualTo("checkbox");

            form.getInputByName("label").setValue("not a label!");
            HtmlPage invalid = ((HtmlButton) back.getElementById("run")).click();
            assertThat(invalid.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(invalid.getElementById("error-label").asNormalizedText()).isNotBlank();
            assertThat(((HtmlForm) invalid.getElementById("run-form"))
                            .getInputByName("label")
                            .getValue())
                    .isEqualTo("not a label!");

            ((HtmlForm) invalid.getElementById("run-form"))
                    .getInputByName("label")
                    .setValue("from-the-form");
            HtmlPage run = ((HtmlButton) invalid.getElementById("run")).click();
            assertThat(run.getUrl().getPath()).matches("/job/echo-params/\\d+/");
            assertThat(run.getElementById("cause").asNormalizedText()).isEqualTo("Started by user rita");
            assertThat(run.getElementById("parameters").asNormalizedText()).contains("from-the-form");

            HtmlPage whoami = ((HtmlAnchor) run.getElementById("user")).click();
            assertThat(whoami.getElementById("whoami-groups").asNormalizedText())
                    .isEqualTo("releng");
            assertThat(whoami.getElementById("grants").asNormalizedText()).contains("admin via group:releng");

            HtmlPage loggedOut = ((HtmlButton) whoami.getElementById("logout")).click();
            assertThat(loggedOut.getElementById("user")).isNull();
            assertThat(browser.getPage(engine.base("/api/whoami"))
                            .getWebResponse()
                            .getContentAsString())
                    .contains("\"user\":null");
        }
    }

    @Test
    void qaMemberRunsTheQaWorkflowButIsRefusedARelengOneNamingThePermission() {
        HttpUser quinn = HttpUser.logIn(engine, provider, "quinn", "qa");

        HttpResponse<String> allowed = quinn.post("/api/workflows/qa-smoke/runs", "{}", true);
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(201);
        HttpResponse<String> refused = quinn.post("/api/workflows/echo-params/runs", "{}", true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("permission `run` on workflow `echo-params` is required");

        assertThat(quinn.get("/job/qa-smoke/").body()).contains("id=\"run-form\"");
        assertThat(quinn.get("/job/echo-params/").body()).doesNotContain("id=\"run-form\"");
        HttpResponse<String> page = quinn.postForm("/job/echo-params/build", Map.of(), true);
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("permission `run` on workflow `echo-params` is required");
        engine.awaitFinal(engine.read(allowed.body()).get("id").asLong());
    }

    @Test
    void anonymousReadsPublicRunsButCannotSeeRestrictedOnes() {
        long visible = engine.trigger("qa-smoke", null).get("id").asLong();
        long hidden = engine.trigger("restricted-chore", null).get("id").asLong();

        assertThat(engine.get("/api/runs/" + visible).statusCode()).isEqualTo(200);
        assertThat(engine.get("/api/runs/" + hidden).statusCode()).isEqualTo(404);
        HttpUser quinn = HttpUser.logIn(engine, provider, "quinn", "qa");
        assertThat(quinn.get("/api/runs/" + hidden).statusCode())
                .as("qa is not let in either")
                .isEqualTo(404);
        HttpUser rita = HttpUser.logIn(engine, provider, "rita", "releng");
        assertThat(rita.get("/api/runs/" + hidden).statusCode()).isEqualTo(200);
        engine.awaitFinal(visible);
        engine.awaitFinal(hidden);
    }

    @Test
    void callbackWithAForgedOrReusedStateIsRefusedWithoutASession() throws Exception {
        provider.logInAs("mallory", "releng");
        // one browser: it keeps the cookie /login binds the login to
        HttpClient noRedirects = HttpClient.newBuilder()
                .cookieHandler(new java.net.CookieManager())
                .build();
        HttpResponse<String> login = noRedirects.send(
                HttpRequest.newBuilder(URI.create(engine.base("/login"))).build(),
                HttpResponse.BodyHandlers.ofString());
        URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> atProvider =
                noRedirects.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        String callback = atProvider.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(engine.base("/login/callback"));

        HttpResponse<String> forged = noRedirects.send(
                HttpRequest.newBuilder(URI.create(callback.replaceAll("state=[^&]+", "state=forged")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("Login failed");
        assertThat(forged.headers().allValues("Set-Cookie"))
                .noneMatch(c -> c.startsWith("releng_session=") && !c.contains("Max-Age=0"));

        HttpResponse<String> first = noRedirects.send(
                HttpRequest.newBuilder(URI.create(callback)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("releng_session=")
                .contains("HttpOnly", "SameSite=Lax", "Path=/")
                .doesNotContain("Secure");

        HttpResponse<String> replayed = noRedirects.send(
                HttpRequest.newBuilder(URI.create(callback)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("already completed");
        assertThat(replayed.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void crossSitePostWithTheSessionCookieButNoCsrfTokenIsRefused() {
        HttpUser rita = HttpUser.logIn(engine, provider, "rita", "releng");

        HttpResponse<String> api = rita.post("/api/workflows/qa-smoke/runs", "{}", false);
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("CSRF token");
        HttpResponse<String> form = rita.postForm("/job/qa-smoke/build", Map.of("count", "1"), false);
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("CSRF token");
        assertThat(rita.postForm("/logout", Map.of(), false).statusCode()).isEqualTo(403);
        assertThat(rita.whoami().path("user").asText()).as("still logged in").isEqualTo("rita");
        assertThat(engine.getWithToken("/api/runs?workflow=qa-smoke&limit=500").body())
                .as("nothing started by rita")
                .doesNotContain("\"user\":\"rita\"");
    }

    @Test
    void personalTokenActsAsItsOwnerUntilRevoked() {
        HttpUser rita = HttpUser.logIn(engine, provider, "rita", "releng");
        HttpResponse<String> created = rita.post("/api/tokens", "{\"name\":\"laptop\",\"expiresInDays\":30}", true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode token = engine.read(created.body());
        String value = token.get("token").asText();

        JsonNode me = engine.read(engine.getWithBearer("/api/whoami", value).body());
        assertThat(me.get("user").asText()).isEqualTo("rita");
        assertThat(me.get("kind").asText()).isEqualTo("api_token");
        assertThat(me.has("csrfToken")).isFalse();
        JsonNode listed =
                engine.read(rita.get("/api/tokens").body()).get("tokens").get(0);
        assertThat(listed.get("name").asText()).isEqualTo("laptop");
        assertThat(listed.has("token")).as("the value is shown once only").isFalse();
        assertThat(listed.get("lastUsedAt").isNull()).isFalse();
        assertThat(engine.getWithBearer("/api/tokens", value).statusCode())
                .as("a token cannot mint tokens")
                .isEqualTo(403);

        assertThat(rita.delete("/api/tokens/" + token.get("id").asLong()).statusCode())
                .isEqualTo(204);
        HttpResponse<String> revoked = engine.getWithBearer("/api/whoami", value);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("revoked");
    }

    @Test
    void tokenPermissionsFollowTheGroupsOfItsOwnersLastLogin() {
        HttpUser pat = HttpUser.logIn(engine, provider, "pat", "qa");
        String value = engine.read(
                        pat.post("/api/tokens", "{\"name\":\"ci\"}", true).body())
                .get("token")
                .asText();
        assertThat(runGrants(value)).contains("qa-smoke");

        HttpUser.logIn(engine, provider, "pat", "packager");

        assertThat(runGrants(value)).doesNotContain("qa-smoke");
        HttpResponse<String> refused = engine.post("/api/workflows/qa-smoke/runs", "{}", value);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("permission `run`");
    }

    private static List<String> runGrants(String token) {
        JsonNode me = engine.read(engine.getWithBearer("/api/whoami", token).body());
        return java.util.stream.StreamSupport.stream(me.get("permissions").spliterator(), false)
                .filter(g -> g.get("permission").asText().equals("run"))
                .map(g -> g.path("workflow").asText())
                .toList();
    }

    @Test
    void logoutEndsTheSessionAndSendsTheBrowserToTheProvider() throws Exception {
        HttpUser rita = HttpUser.logIn(engine, provider, "rita", "releng");
        String cookie = rita.sessionCookie();

        HttpResponse<String> out = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(engine.base("/logout")))
                                .header("Cookie", "releng_session=" + cookie)
                                .header("X-CSRF-Token", rita.csrf())
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location").orElseThrow())
                .startsWith(provider.issuer())
                .contains("id_token_hint=")
                .contains("post_logout_redirect_uri=");
        assertThat(rita.whoami().path("user").isNull())
                .as("the old cookie opens nothing")
                .isTrue();
    }

    @Test
    void breakGlassLoginIsOffUnlessConfigured() {
        assertThat(engine.get("/login/local").statusCode()).isEqualTo(404);
        HttpResponse<String> post = engine.send(HttpRequest.newBuilder(URI.create(engine.url("/login/local")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=x"))
                .build());
        assertThat(post.statusCode()).isEqualTo(404);
    }

    @Test
    void cancelButtonShowsOnlyToThoseWhoMayCancelAndStopsTheRun() throws Exception {
        long id = engine.trigger("sleeper", "{\"seconds\": 60}").get("id").asLong();
        engine.awaitStatus(id, "running");
        String runPath = "/job/sleeper/" + engine.run(id).get("number").asInt() + "/";
        HttpUser quinn = HttpUser.logIn(engine, provider, "quinn", "qa");
        assertThat(quinn.get(runPath).body()).doesNotContain("id=\"cancel\"");
        assertThat(quinn.postForm(runPath + "stop", Map.of(), true).statusCode())
                .isEqualTo(403);

        provider.logInAs("rita", "releng");
        try (WebClient browser = browser()) {
            HtmlPage login = browser.getPage(engine.base("/login?next=" + runPath));
            HtmlPage after = ((HtmlButton) login.getElementById("cancel")).click();

            assertThat(after.getUrl().getPath()).isEqualTo(runPath);
        }
        assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("cancelled");
        assertThat(quinn.get(runPath).body()).as("no Cancel on a finished run").doesNotContain("id=\"cancel\"");
    }

    @Test
    void tokenPageShowsANewTokenOnceAndRevokesIt() throws Exception {
        provider.logInAs("tina", "qa");
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(engine.base("/login?next=/user/tokens"));
            HtmlForm form = (HtmlForm) page.getElementById("token-form");
            form.getInputByName("name").setValue("page-token");
            HtmlPage created = ((HtmlButton) page.getElementById("create-token")).click();
            String value = created.getElementById("new-token").asNormalizedText();
            assertThat(value).startsWith("rwe_");
            assertThat(engine.getWithBearer("/api/whoami", value).statusCode()).isEqualTo(200);

            HtmlPage again = browser.getPage(engine.base("/user/tokens"));
            assertThat(again.getElementById("new-token")).isNull();
            assertThat(again.getElementById("tokens").asNormalizedText())
                    .contains("page-token")
                    .doesNotContain(value);
            HtmlPage revoked = ((HtmlButton) again.getByXPath("//table[@id='tokens']//button[text()='Revoke']")
                            .get(0))
                    .click();

            assertThat(revoked.getElementById("tokens").asNormalizedText()).contains("revoked");
            assertThat(engine.getWithBearer("/api/whoami", value).statusCode()).isEqualTo(401);
        }
    }
}
