package org.fedoraproject.releng.workflow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogin;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes share one database: a login started on one completes on the other, once. */
class SharedPendingLoginsTest {

    @TempDir
    Path dataDir;

    final SettableClock clock = new SettableClock();
    Database database;
    SharedPendingLogins nodeA;
    SharedPendingLogins nodeB;

    @BeforeEach
    void open() {
        database = Database.open(new EngineConfig.Database(null, null, null, null, 4), dataDir, Map.of());
        nodeA = new SharedPendingLogins(database.jdbi(), clock);
        nodeB = new SharedPendingLogins(database.jdbi(), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private PendingLogin started(String state) {
        PendingLogin login = new PendingLogin(state, "nonce-" + state, "verifier-" + state,
                URI.create("http://127.0.0.1:8080/login/callback"), clock.instant(), "/job/hello/");
        nodeA.add(login);
        return login;
    }

    private static void assertFails(Runnable call, Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(LoginFailedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void loginStartedOnOneNodeCompletesOnAnotherExactlyOnce() {
        PendingLogin login = started("s1");

        PendingLogin taken = nodeB.take("s1");
        assertThat(taken).usingRecursiveComparison().ignoringFields("createdAt").isEqualTo(login);
        assertThat(taken.codeVerifier()).isEqualTo("verifier-s1");
        assertFails(() -> nodeA.take("s1"), Reason.STATE_REUSED);
    }

    @Test
    void unknownAndExpiredStatesAreToldApart() {
        started("s2");
        assertFails(() -> nodeB.take("forged"), Reason.UNKNOWN_STATE);
        assertFails(() -> nodeB.take(null), Reason.MALFORMED_CALLBACK);

        clock.advance(Duration.ofMinutes(11));

        assertFails(() -> nodeB.take("s2"), Reason.LOGIN_EXPIRED);
    }
}
