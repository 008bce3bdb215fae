package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The break-glass administrator logs in with a password while no OIDC provider is configured at all. */
class BreakGlassLoginIT {

    @TempDir
    static Path home;

    static TestEngine engine;

    @BeforeAll
    static void start() {
        String hash = PasswordHash.hash("correct horse".toCharArray());
        engine = TestEngine.startWithAuth(
                home,
                "localAdmin: {username: breakglass, passwordHash: \"" + hash + "\"}\n",
                Map.of(),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static HtmlPage submit(WebClient browser, String user, String password) throws Exception {
        HtmlPage login = browser.getPage(engine.base("/login?next=/whoami"));
        assertThat(login.getUrl().getPath())
                .as("without OIDC, /login offers the local form")
                .isEqualTo("/login/local");
        HtmlForm form = (HtmlForm) login.getElementById("local-login");
        form.getInputByName("username").setValue(user);
        form.getInputByName("password").setValue(password);
        return ((HtmlButton) login.getElementById("local-login-submit")).click();
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        try (WebClient browser = new WebClient()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            browser.getOptions().setJavaScriptEnabled(false);
            HtmlPage page = submit(browser, "breakglass", "wrong");

            assertThat(page.getWebResponse().getStatusCode()).isEqualTo(401);
            assertThat(page.getElementById("login-error").asNormalizedText()).contains("Wrong user name or password");
            assertThat(page.getElementById("user")).isNull();
        }
    }

    @Test
    void rightPasswordGivesAnAdminSessionWithoutAnyMatrixEntry() throws Exception {
        try (WebClient browser = new WebClient()) {
            browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
            browser.getOptions().setJavaScriptEnabled(false);
            browser.getOptions().setCssEnabled(false);
            HtmlPage whoami = submit(browser, "breakglass", "correct horse");

            assertThat(whoami.getUrl().getPath()).isEqualTo("/whoami");
            assertThat(whoami.getElementById("user").asNormalizedText()).isEqualTo("breakglass");
            assertThat(whoami.getElementById("grants").asNormalizedText()).contains("admin via group:local-admin");
            HtmlPage restricted = browser.getPage(engine.base("/job/restricted-chore/"));
            assertThat(restricted.getElementById("run-form"))
                    .as("admin sees and may run restricted workflows")
                    .isNotNull();
            assertThat(browser.getPage(engine.base("/api/tokens"))
                            .getWebResponse()
                            .getStatusCode())
                    .as("break-glass sessions mint no tokens")
                    .isEqualTo(403);
        }
    }
}
