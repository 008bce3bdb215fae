package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login's callback only counts in the browser that started the login (a cookie bound to the
 * OIDC state), so neither a stolen callback URL nor an attacker's own login pushed onto a victim
 * (login CSRF) makes a session. Real provider: mock-oauth2-server.
 */
class LoginStateBindingIT {

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

    /** A browser with its own cookie jar that shows each redirect instead of following it. */
    static final class Browser {
        final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

        HttpResponse<String> get(String url) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Starts a login here and lets the provider answer: the callback URL the provider sends back. */
        String startLoginAndPassTheProvider() throws Exception {
            HttpResponse<String> login = get(engine.base("/login?next=/api/whoami"));
            assertThat(login.statusCode()).isEqualTo(302);
            HttpResponse<String> atProvider =
                    get(login.headers().firstValue("Location").orElseThrow());
            String callback = atProvider.headers().firstValue("Location").orElseThrow();
            assertThat(callback).startsWith(engine.base("/login/callback"));
            return callback;
        }

        boolean hasSession() {
            return cookies.getCookieStore().getCookies().stream()
                    .anyMatch(c -> c.getName().equals("releng_session"));
        }
    }

    @Test
    void loginStartSetsAnHttpOnlyLaxCookieForTheLoginPathsOnly() throws Exception {
        HttpResponse<String> login = new Browser().get(engine.base("/login"));

        assertThat(login.headers().allValues("Set-Cookie"))
                .singleElement()
                .asString()
                .startsWith("releng_login_")
                .contains("; Path=/login;", "HttpOnly", "SameSite=Lax", "Max-Age=600")
                .doesNotContain("Secure");
        String secret = login.headers().firstValue("Set-Cookie").orElseThrow().replaceFirst("^[^=]+=([^;]*);.*", "$1");
        assertThat(login.headers().firstValue("Location").orElseThrow())
                .as("the secret never travels in a URL")
                .doesNotContain(secret);
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
                .as("the Log out form may end at the provider")
                .contains("form-action 'self' " + originOf(provider.issuer()));
    }

    @Test
    void callbackDeliveredToAnotherBrowserIsRefusedWithoutASession() throws Exception {
        provider.logInAs("mallory", "releng");
        Browser attacker = new Browser();
        Browser victim = new Browser();
        String callback = attacker.startLoginAndPassTheProvider();

        HttpResponse<String> refused = victim.get(callback);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Login failed").contains("started in another browser");
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("releng_session="));
        assertThat(victim.hasSession()).isFalse();
        assertThat(engine.read(victim.get(engine.base("/api/whoami")).body())
                        .path("user")
                        .isNull())
                .isTrue();
        assertThat(attacker.get(callback).statusCode())
                .as("the carried-away callback is spent")
                .isEqualTo(400);
    }

    @Test
    void callbackInTheBrowserThatStartedItLogsIn() throws Exception {
        provider.logInAs("rita", "releng");
        Browser browser = new Browser();
        String first = browser.startLoginAndPassTheProvider();
        String second = browser.startLoginAndPassTheProvider();

        HttpResponse<String> done = browser.get(first);

        assertThat(done.statusCode())
                .as("a login started in another tab does not spoil this one")
                .isEqualTo(303);
        assertThat(done.headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith("releng_session="))
                .anyMatch(c -> c.startsWith("releng_login_") && c.contains("Max-Age=0"));
        assertThat(engine.read(browser.get(engine.base("/api/whoami")).body())
                        .path("user")
                        .asText())
                .isEqualTo("rita");
        assertThat(browser.get(second).statusCode()).isEqualTo(303);
    }

    private static String originOf(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }
}
