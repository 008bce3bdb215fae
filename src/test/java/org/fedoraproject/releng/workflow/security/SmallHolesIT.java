package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.HttpUser;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9, item 9: small ways in which the API read a request other than as it was written, each
 * refused with a 400 that names the field, and HEAD answered like GET.
 */
class SmallHolesIT {

    @TempDir
    static Path home;

    static FedoraLikeProvider provider;
    static TestEngine engine;
    static HttpUser rita;

    @BeforeAll
    static void start() {
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        engine = TestEngine.startWithAuth(
                home,
                "oidc: " + provider.oidcYaml(false) + "\n",
                Map.of(FedoraLikeProvider.SECRET_ENV, FedoraLikeProvider.SECRET),
                Clock.systemUTC());
        rita = HttpUser.logIn(engine, provider, "rita", "releng");
    }

    @AfterAll
    static void stop() {
        engine.close();
        provider.close();
    }

    @Test
    void expiresInDaysThatIsNotAWholeNumberOfDaysInRangeIsA400NotTheDefault() {
        for (String value : List.of("\"abc\"", "\"30\"", "-1", "0", "367", "1e9", "3.5", "true", "{}", "[]")) {
            HttpResponse<String> r = rita.post("/api/tokens", "{\"name\":\"t\",\"expiresInDays\":" + value + "}", true);

            assertThat(r.statusCode())
                    .as("expiresInDays %s: %s", value, r.body())
                    .isEqualTo(400);
            JsonNode body = engine.read(r.body());
            assertThat(body.path("fields").path("expiresInDays").asText())
                    .as(value)
                    .isEqualTo("must be a whole number of days from 1 to 366");
            assertThat(body.path("error").asText()).contains("expiresInDays");
        }
        assertThat(rita.get("/api/tokens").body()).doesNotContain("\"name\":\"t\"");
    }

    @Test
    void expiresInDaysLeftOutOrNullIsTheDefault() {
        for (String body : List.of("{\"name\":\"absent\"}", "{\"name\":\"nulled\",\"expiresInDays\":null}")) {
            HttpResponse<String> r = rita.post("/api/tokens", body, true);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode token = engine.read(r.body());
            assertThat(java.time.Duration.between(
                                    java.time.Instant.parse(
                                            token.get("createdAt").asText()),
                                    java.time.Instant.parse(
                                            token.get("expiresAt").asText()))
                            .toDays())
                    .isEqualTo(90);
        }
    }

    @Test
    void lineSeparatorsInASingleLineParameterAreA400() {
        // echo-params' label has the pattern ^[A-Za-z0-9._-]*$, whose `$` matches before a final U+2028
        for (String brk : List.of("\\u2028", "\\u2029", "\\u0085", "\\u000b", "\\f", "\\r")) {
            HttpResponse<String> r = engine.post(
                    "/api/workflows/echo-params/runs",
                    "{\"parameters\":{\"label\":\"rc1" + brk + "\"}}",
                    TestEngine.TOKEN);

            assertThat(r.statusCode()).as("%s: %s", brk, r.body()).isEqualTo(400);
            assertThat(engine.read(r.body()).path("fields").path("label").asText())
                    .isEqualTo("must be a single line (use a text parameter for several)");
        }
    }

    @Test
    void duplicateKeyInARunRequestIsA400() {
        // which of two values wins is up to the parser: a reviewer reading the body may see the other
        HttpResponse<String> nested = engine.post(
                "/api/workflows/echo-params/runs",
                "{\"parameters\":{\"label\":\"safe\",\"label\":\"other\"}}",
                TestEngine.TOKEN);
        HttpResponse<String> top = engine.post(
                "/api/workflows/echo-params/runs",
                "{\"parameters\":{},\"parameters\":{\"count\":10}}",
                TestEngine.TOKEN);

        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(400);
        assertThat(engine.read(nested.body()).path("error").asText())
                .isEqualTo("duplicate key `label` in the JSON body (line 1, column 38): give each key once");
        assertThat(top.statusCode()).as(top.body()).isEqualTo(400);
        assertThat(engine.read(top.body()).path("error").asText())
                .startsWith("duplicate key `parameters` in the JSON body");
        assertThat(engine.getWithToken("/api/runs?workflow=echo-params").body()).contains("\"runs\":[]");
    }

    @Test
    void duplicateKeyInATokenRequestIsA400() {
        HttpResponse<String> r =
                rita.post("/api/tokens", "{\"name\":\"dup\",\"expiresInDays\":1,\"expiresInDays\":366}", true);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(engine.read(r.body()).path("error").asText())
                .startsWith("duplicate key `expiresInDays` in the JSON body");
    }

    @Test
    void headOfAMissingPageIsA404LikeGet() {
        for (String path : List.of(
                "/job/nope/",
                "/job/nope",
                "/job/echo-params/999999/",
                "/api/runs/999999",
                "/api/workflows/nope",
                "/api/runs/999999/log/stream",
                "/nope",
                "/api/nope")) {
            HttpResponse<String> get = engine.get(path);
            HttpResponse<String> head = head(path);

            assertThat(get.statusCode()).as("GET %s", path).isEqualTo(404);
            assertThat(head.statusCode()).as("HEAD %s", path).isEqualTo(404);
            assertThat(head.body()).as("HEAD %s", path).isEmpty();
        }
    }

    @Test
    void headOfAnExistingPageIsA200WithNoBody() {
        for (String path :
                List.of("/", "/job/echo-params/", "/api/workflows", "/api/workflows/echo-params", "/healthz")) {
            HttpResponse<String> head = head(path);

            assertThat(head.statusCode()).as("HEAD %s", path).isEqualTo(200);
            assertThat(head.body()).as("HEAD %s", path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type"))
                    .as("HEAD %s", path)
                    .isEqualTo(engine.get(path).headers().firstValue("Content-Type"));
        }
    }

    private static HttpResponse<String> head(String path) {
        return engine.send(HttpRequest.newBuilder(URI.create(engine.url(path)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    }
}
