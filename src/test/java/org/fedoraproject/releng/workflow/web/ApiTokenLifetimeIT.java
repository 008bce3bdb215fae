package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.HttpUser;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens and sessions live through time: the engine and the provider share a clock the test moves
 * forward, so expiry and the owner's idleness are reached without waiting.
 */
class ApiTokenLifetimeIT {

    @TempDir
    Path home;

    final SettableClock clock = new SettableClock();
    FedoraLikeProvider provider;
    TestEngine engine;

    @BeforeEach
    void start() {
        provider = FedoraLikeProvider.start(clock::instant);
        engine = TestEngine.startWithAuth(
                home,
                "oidc: " + provider.oidcYaml(false) + "\ntokenMaxIdle: 30d\nsessionMaxAge: 8h\n",
                Map.of(FedoraLikeProvider.SECRET_ENV, FedoraLikeProvider.SECRET),
                clock);
    }

    @AfterEach
    void stop() {
        engine.close();
        provider.close();
    }

    private String token(HttpUser user, int days) {
        HttpResponse<String> r = user.post("/api/tokens", "{\"name\":\"t\",\"expiresInDays\":" + days + "}", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return engine.read(r.body()).get("token").asText();
    }

    @Test
    void expiredTokenIsRefused() {
        String value = token(HttpUser.logIn(engine, provider, "rita", "releng"), 1);
        assertThat(engine.getWithBearer("/api/whoami", value).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofDays(1).plusMinutes(1));

        HttpResponse<String> r = engine.getWithBearer("/api/whoami", value);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("expired");
    }

    @Test
    void tokenStopsWhenItsOwnerHasNotLoggedInForTokenMaxIdleAndWakesAtTheNextLogin() {
        String value = token(HttpUser.logIn(engine, provider, "rita", "releng"), 365);
        clock.advance(Duration.ofDays(29));
        assertThat(engine.getWithBearer("/api/whoami", value).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofDays(2));

        HttpResponse<String> idle = engine.getWithBearer("/api/whoami", value);
        assertThat(idle.statusCode()).isEqualTo(401);
        assertThat(idle.body()).contains("has not logged in since");

        HttpUser.logIn(engine, provider, "rita", "releng");
        assertThat(engine.getWithBearer("/api/whoami", value).statusCode()).isEqualTo(200);
    }

    @Test
    void sessionEndsAfterSessionMaxAge() {
        HttpUser rita = HttpUser.logIn(engine, provider, "rita", "releng");
        clock.advance(Duration.ofHours(8).plusSeconds(1));

        assertThat(rita.whoami().path("user").isNull()).isTrue();
    }
}
