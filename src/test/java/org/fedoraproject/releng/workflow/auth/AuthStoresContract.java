package org.fedoraproject.releng.workflow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogin;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogins;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the auth stores (users, sessions, API tokens, started logins) promise, whatever database
 * holds them: every test runs on H2 and on PostgreSQL alike. Two store objects on one database
 * stand for two engine nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthStoresContract {

    protected static final int POOL_SIZE = 4;
    private static final Duration SESSION_AGE = Duration.ofHours(12);
    private static final Duration TOKEN_IDLE = Duration.ofDays(90);

    private final SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-11-25T00:00:00Z"));
    private Database database;
    private Users users;
    private Sessions sessions;
    private ApiTokens tokens;
    private PendingLogins nodeA;
    private PendingLogins nodeB;

    protected abstract Database openDatabase();

    @BeforeAll
    void openStores() {
        database = openDatabase();
        users = new JdbcUsers(database.jdbi());
        sessions = new JdbcSessions(database.jdbi(), clock, SESSION_AGE);
        tokens = new JdbcApiTokens(database.jdbi(), users, clock, TOKEN_IDLE);
        nodeA = new JdbcPendingLogins(database.jdbi(), clock);
        nodeB = new JdbcPendingLogins(database.jdbi(), clock);
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        database.jdbi().useTransaction(h -> {
            h.execute("delete from api_token");
            h.execute("delete from login_session");
            h.execute("delete from pending_login");
            h.execute("delete from users");
        });
    }

    private PendingLogin started(String state) {
        PendingLogin login = new PendingLogin(
                state,
                "nonce-" + state,
                "verifier-" + state,
                URI.create("http://127.0.0.1:8080/login/callback"),
                clock.instant(),
                "/job/hello/");
        nodeA.add(login);
        return login;
    }

    private static void assertFails(Runnable call, Reason reason) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        LoginFailedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void loginStartedOnOneNodeCompletesOnAnotherExactlyOnce() {
        PendingLogin login = started("s1");

        PendingLogin taken = nodeB.take("s1");

        assertThat(taken).usingRecursiveComparison().ignoringFields("createdAt").isEqualTo(login);
        assertFails(() -> nodeA.take("s1"), Reason.STATE_REUSED);
        assertFails(() -> nodeB.take("s1"), Reason.STATE_REUSED);
    }

    @Test
    void unknownMalformedAndExpiredStatesAreToldApart() {
        started("s2");
        started("s3");
        assertFails(() -> nodeB.take("forged"), Reason.UNKNOWN_STATE);
        assertFails(() -> nodeB.take(null), Reason.MALFORMED_CALLBACK);
        assertFails(() -> nodeB.take(" "), Reason.MALFORMED_CALLBACK);
        clock.advance(PendingLogins.DEFAULT_TTL.minusSeconds(1));
        assertThat(nodeB.take("s3").nonce()).isEqualTo("nonce-s3");

        clock.advance(Duration.ofSeconds(1));

        assertFails(() -> nodeB.take("s2"), Reason.LOGIN_EXPIRED);
    }

    @Test
    void aSecondLoginUpdatesTheUserRatherThanAddingOne() {
        users.recordLogin("alice", "Alice", "alice@example.org", Set.of("packager"), clock.instant());
        clock.advance(Duration.ofDays(1));

        users.recordLogin("alice", "Alice Liddell", "alice@example.org", Set.of("qa", "releng"), clock.instant());

        UserRecord alice = users.find("alice").orElseThrow();
        assertThat(alice.fullName()).isEqualTo("Alice Liddell");
        assertThat(alice.groups()).containsExactlyInAnyOrder("qa", "releng");
        assertThat(alice.lastLoginAt()).isEqualTo(clock.instant());
        assertThat(users.find("bob")).isEmpty();
        int rows = database.jdbi()
                .withHandle(h -> h.createQuery("select count(*) from users")
                        .mapTo(Integer.class)
                        .one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void sessionLivesUntilItEndsOrIsTooOld() {
        Sessions.Created created =
                sessions.create("alice", "oidc", Set.of("releng"), "Alice", "alice@example.org", "id-token");
        Sessions.Created other = sessions.create("bob", "oidc", Set.of(), "Bob", null, null);

        assertThat(sessions.find(created.id()).orElseThrow().groups()).containsExactly("releng");
        assertThat(sessions.find(created.id()).orElseThrow().csrfToken())
                .isEqualTo(created.session().csrfToken());
        assertThat(sessions.find("not-a-session")).isEmpty();
        sessions.end(created.id());
        assertThat(sessions.find(created.id())).isEmpty();
        clock.advance(SESSION_AGE.minusSeconds(1));
        assertThat(sessions.find(other.id())).isPresent();

        clock.advance(Duration.ofSeconds(1));

        assertThat(sessions.find(other.id())).isEmpty();
    }

    @Test
    void tokenActsAsItsOwnerWithTheGroupsOfTheLastLogin() {
        users.recordLogin("alice", "Alice", null, Set.of("packager"), clock.instant());
        ApiTokens.Created first = tokens.create("alice", "jenkins", Duration.ofDays(30));
        ApiTokens.Created second = tokens.create("alice", "laptop", Duration.ofDays(30));
        users.recordLogin("alice", "Alice", null, Set.of("releng"), clock.instant());

        Principal who = tokens.authenticate(first.value()).orElseThrow();

        assertThat(who.name()).isEqualTo("alice");
        assertThat(who.groups()).containsExactly("releng");
        assertThat(tokens.list("alice")).extracting(ApiToken::name).containsExactly("laptop", "jenkins");
        assertThat(tokens.list("alice").get(1).lastUsedAt()).isNotNull();
        assertThat(tokens.authenticate(ApiTokens.PREFIX + "never-issued")).isEmpty();
        assertThat(tokens.authenticate("not-a-personal-token")).isEmpty();
        assertThat(second.token().expiresAt()).isEqualTo(clock.instant().plus(30, ChronoUnit.DAYS));
    }

    @Test
    void revokedExpiredAndIdleOwnersTokensAreRefused() {
        users.recordLogin("alice", "Alice", null, Set.of("packager"), clock.instant());
        ApiTokens.Created revoked = tokens.create("alice", "old", Duration.ofDays(200));
        ApiTokens.Created shortLived = tokens.create("alice", "short", Duration.ofDays(1));
        ApiTokens.Created idle = tokens.create("alice", "idle", Duration.ofDays(200));

        assertThatThrownBy(() -> tokens.revoke("mallory", revoked.token().id())).isInstanceOf(NotFoundException.class);
        tokens.revoke("alice", revoked.token().id());
        assertThatThrownBy(() -> tokens.authenticate(revoked.value()))
                .isInstanceOf(AuthenticationRequiredException.class)
                .hasMessage("this API token was revoked");
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> tokens.authenticate(shortLived.value()))
                .isInstanceOf(AuthenticationRequiredException.class)
                .hasMessageStartingWith("this API token expired at");
        assertThat(tokens.authenticate(idle.value())).isPresent();

        clock.advance(TOKEN_IDLE.minusDays(1));

        assertThatThrownBy(() -> tokens.authenticate(idle.value()))
                .isInstanceOf(AuthenticationRequiredException.class)
                .hasMessageContaining("has not logged in since");
    }
}
