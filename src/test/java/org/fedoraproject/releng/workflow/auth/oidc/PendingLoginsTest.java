package org.fedoraproject.releng.workflow.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;

class PendingLoginsTest {

    private final SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-11-25T00:00:00Z"));

    private PendingLogin login(String state) {
        return new PendingLogin(state, "nonce-" + state, "verifier-" + state, URI.create("http://127.0.0.1/login/callback"), clock.instant(), "/");
    }

    private static Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (LoginFailedException e) {
            return e.reason();
        }
        throw new AssertionError("expected a LoginFailedException");
    }

    @Test
    void eachStateIsHandedOutOnce() {
        PendingLogins logins = new PendingLogins(clock);
        logins.add(login("a"));

        assertThat(logins.take("a").nonce()).isEqualTo("nonce-a");
        assertThat(reasonOf(() -> logins.take("a"))).isEqualTo(Reason.STATE_REUSED);
        assertThat(reasonOf(() -> logins.take("never-issued"))).isEqualTo(Reason.UNKNOWN_STATE);
        assertThat(reasonOf(() -> logins.take(null))).isEqualTo(Reason.MALFORMED_CALLBACK);
    }

    @Test
    void loginOlderThanItsLifetimeIsRefused() {
        PendingLogins logins = new PendingLogins(clock, Duration.ofMinutes(10), 100);
        logins.add(login("slow"));
        clock.advance(Duration.ofMinutes(10));

        assertThat(reasonOf(() -> logins.take("slow"))).isEqualTo(Reason.LOGIN_EXPIRED);
    }

    @Test
    void fullStoreForgetsItsOldestLoginRatherThanGrowing() {
        PendingLogins logins = new PendingLogins(clock, Duration.ofMinutes(10), 2);
        logins.add(login("first"));
        clock.advance(Duration.ofSeconds(1));
        logins.add(login("second"));
        clock.advance(Duration.ofSeconds(1));
        logins.add(login("third"));

        assertThat(logins.size()).isEqualTo(2);
        assertThat(reasonOf(() -> logins.take("first"))).isEqualTo(Reason.UNKNOWN_STATE);
        assertThat(logins.take("third").state()).isEqualTo("third");
    }

    @Test
    void returnPathStaysOnThisSite() {
        assertThat(PendingLogin.safeReturnPath("/workflows/compose-nightly?x=1")).isEqualTo("/workflows/compose-nightly?x=1");
        assertThat(PendingLogin.safeReturnPath("https://evil.example/")).isEqualTo("/");
        assertThat(PendingLogin.safeReturnPath("//evil.example/")).isEqualTo("/");
        assertThat(PendingLogin.safeReturnPath("/\\evil.example")).isEqualTo("/");
        assertThat(PendingLogin.safeReturnPath(null)).isEqualTo("/");
        assertThatThrownBy(() -> new PendingLogins(clock).take(" ")).isInstanceOf(LoginFailedException.class);
    }
}
