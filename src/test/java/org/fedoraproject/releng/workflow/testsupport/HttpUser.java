package org.fedoraproject.releng.workflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser at the HTTP level: a cookie jar, redirects followed through the provider and back, and
 * the session's CSRF token read from {@code /api/whoami} as a script would.
 */
public final class HttpUser {

    private final TestEngine engine;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private String csrf;

    private HttpUser(TestEngine engine) {
        this.engine = engine;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Logs in through the provider as {@code name} in {@code groups} and lands on /api/whoami. */
    public static HttpUser logIn(TestEngine engine, FedoraLikeProvider provider, String name, String... groups) {
        provider.logInAs(name, groups);
        HttpUser user = new HttpUser(engine);
        JsonNode me = engine.read(user.get("/login?next=/api/whoami").body());
        assertThat(me.path("user").asText()).as("logged in: %s", me).isEqualTo(name);
        user.csrf = me.path("csrfToken").asText();
        assertThat(user.csrf).isNotBlank();
        return user;
    }

    public String csrf() {
        return csrf;
    }

    public String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("releng_session"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElse(null);
    }

    public JsonNode whoami() {
        return engine.read(get("/api/whoami").body());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(engine.base(path))).GET().build());
    }

    /** A JSON POST with the session cookie, and the CSRF header when {@code withCsrf}. */
    public HttpResponse<String> post(String path, String json, boolean withCsrf) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(engine.base(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (withCsrf) {
            b.header("X-CSRF-Token", csrf);
        }
        return send(b.build());
    }

    /** A form POST as a page submits it; the CSRF token goes in the form field when {@code withCsrf}. */
    public HttpResponse<String> postForm(String path, Map<String, String> fields, boolean withCsrf) {
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        if (withCsrf) {
            body = body + (body.isEmpty() ? "" : "&") + "csrf=" + enc(csrf);
        }
        return send(HttpRequest.newBuilder(URI.create(engine.base(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(engine.base(path)))
                .header("X-CSRF-Token", csrf)
                .DELETE()
                .build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
