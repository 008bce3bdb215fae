package org.fedoraproject.releng.workflow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
    void twoNodesRecordingOnePersonsFirstLoginAtOnceBothSucceed() throws Exception {
        // two nodes (two stores, a pool each) record the first login of the same new people at once
        Users other = new JdbcUsers(database.jdbi());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 40; i++) {
                String name = "newcomer" + i;
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                java.util.List<java.util.concurrent.Future<?>> logins = new java.util.ArrayList<>();
                for (Users node : java.util.List.of(users, other)) {
                    logins.add(pool.submit(() -> {
                        together.await();
                        node.recordLogin(name, "New Comer", null, Set.of("packager"), clock.instant());
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> login : logins) {
                    login.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int rows = database.jdbi()
                .withHandle(h -> h.createQuery("select count(*) from users where name like 'newcomer%'")
                        .mapTo(Integer.class)
                        .one());
        assertThat(rows).isEqualTo(40);
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

    private int rows(String sql) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    /** Every value of every column of the table, as text, to show what a stolen backup would hold. */
    private String tableText(String table) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("select * from " + table)
                        .map((rs, c) -> {
                            StringBuilder text = new StringBuilder();
                            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                                text.append(rs.getString(i)).append('|');
                            }
                            return text.toString();
                        })
                        .list()
                        .toString());
    }

    private static String tampered(String value) {
        char last = value.charAt(value.length() - 1);
        return value.substring(0, value.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    @Test
    void aFirstLoginRecordsThePersonAndAnotherNodeSeesThem() {
        users.recordLogin("carol", "Carol", "carol@example.org", Set.of(), clock.instant());

        UserRecord carol = new JdbcUsers(database.jdbi()).find("carol").orElseThrow();

        assertThat(carol).isEqualTo(new UserRecord("carol", "Carol", "carol@example.org", Set.of(), clock.instant()));
    }

    @Test
    void aLoginWithFewerGroupsDropsTheOthers() {
        users.recordLogin("alice", "Alice", null, Set.of("releng", "qa"), clock.instant());
        users.recordLogin("bob", "Bob", null, Set.of("packager"), clock.instant());

        users.recordLogin("alice", null, null, Set.of(), clock.instant());

        assertThat(users.find("alice").orElseThrow().groups()).isEmpty();
        assertThat(users.find("alice").orElseThrow().fullName()).isNull();
        assertThat(users.find("bob").orElseThrow().groups()).containsExactly("packager");
    }

    @Test
    void aNewSessionIsFoundAsCreatedUntilItsMaxAge() {
        assertThat(sessions.maxAge()).isEqualTo(SESSION_AGE);
        Sessions.Created created =
                sessions.create("alice", Session.OIDC, Set.of("qa", "releng"), "Alice", "alice@example.org", "id-t");

        assertThat(created.session())
                .isEqualTo(new Session(
                        "alice",
                        Session.OIDC,
                        Set.of("qa", "releng"),
                        "Alice",
                        "alice@example.org",
                        "id-t",
                        created.session().csrfToken(),
                        clock.instant(),
                        clock.instant().plus(SESSION_AGE)));
        assertThat(sessions.find(created.id())).contains(created.session());
        assertThat(new JdbcSessions(database.jdbi(), clock, SESSION_AGE).find(created.id()))
                .contains(created.session());
    }

    @Test
    void aBreakGlassSessionKeepsItsOriginAndEmptyFields() {
        Sessions.Created created = sessions.create("root", Session.LOCAL, Set.of(), null, null, null);

        Session found = sessions.find(created.id()).orElseThrow();

        assertThat(found.isLocal()).isTrue();
        assertThat(found.groups()).isEmpty();
        assertThat(found.fullName()).isNull();
        assertThat(found.email()).isNull();
        assertThat(found.idToken()).isNull();
    }

    @Test
    void eachSessionHasItsOwnCookieAndCsrfTokenAndTheTableHoldsNeither() {
        Sessions.Created first = sessions.create("alice", Session.OIDC, Set.of(), null, null, null);
        Sessions.Created second = sessions.create("alice", Session.OIDC, Set.of(), null, null, null);

        assertThat(first.id()).isNotEqualTo(second.id()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(first.session().csrfToken())
                .isNotEqualTo(second.session().csrfToken())
                .isNotEqualTo(first.id())
                .hasSizeGreaterThanOrEqualTo(43);
        assertThat(rows("select count(*) from login_session")).isEqualTo(2);
        assertThat(tableText("login_session"))
                .doesNotContain(first.id())
                .doesNotContain(second.id())
                .contains(Secrets.sha256(first.id()));
    }

    @Test
    void endingOneSessionLeavesTheOthersAndMissingCookiesFindNothing() {
        Sessions.Created kept = sessions.create("alice", Session.OIDC, Set.of(), null, null, null);
        Sessions.Created ended = sessions.create("alice", Session.OIDC, Set.of(), null, null, null);

        sessions.end(ended.id());
        sessions.end("never-issued");
        sessions.end(null);

        assertThat(sessions.find(ended.id())).isEmpty();
        assertThat(sessions.find(kept.id())).isPresent();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(tampered(kept.id()))).isEmpty();
    }

    @Test
    void aLoginSweepsAwaySessionsPastTheirMaxAge() {
        sessions.create("alice", Session.OIDC, Set.of(), null, null, null);
        clock.advance(SESSION_AGE.plusSeconds(1));

        Sessions.Created fresh = sessions.create("bob", Session.OIDC, Set.of(), null, null, null);

        assertThat(rows("select count(*) from login_session")).isEqualTo(1);
        assertThat(sessions.find(fresh.id())).isPresent();
    }

    @Test
    void aNewTokenIsListedAsCreatedAndTheTableHoldsOnlyItsHash() {
        ApiTokens.Created created = tokens.create("alice", "  jenkins ", Duration.ofDays(30));

        assertThat(created.value()).startsWith(ApiTokens.PREFIX).hasSizeGreaterThanOrEqualTo(47);
        assertThat(created.token())
                .isEqualTo(new ApiToken(
                        created.token().id(),
                        "alice",
                        "jenkins",
                        clock.instant(),
                        clock.instant().plus(30, ChronoUnit.DAYS),
                        null,
                        null));
        assertThat(tokens.list("alice")).containsExactly(created.token());
        assertThat(tokens.list("bob")).isEmpty();
        assertThat(tableText("api_token"))
                .doesNotContain(created.value())
                .doesNotContain(created.value().substring(ApiTokens.PREFIX.length()))
                .contains(Secrets.sha256(created.value()));
    }

    @Test
    void tokenRequestsOutsideTheRulesAreRefusedWithTheFieldToFix() {
        assertThatThrownBy(() -> tokens.create("alice", " ", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("name:");
        assertThatThrownBy(() -> tokens.create("alice", null, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("name:");
        assertThatThrownBy(() -> tokens.create("alice", "x".repeat(201), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("name:");
        assertThatThrownBy(() -> tokens.create("alice", "ci", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expiry:");
        assertThatThrownBy(() -> tokens.create("alice", "ci", Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expiry:");
        assertThatThrownBy(() -> tokens.create("alice", "ci", ApiTokens.MAX_VALIDITY.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expiry:");
        assertThat(tokens.list("alice")).isEmpty();

        assertThat(tokens.create("alice", "x".repeat(200), ApiTokens.MAX_VALIDITY)
                        .token()
                        .expiresAt())
                .isEqualTo(clock.instant().plus(ApiTokens.MAX_VALIDITY));
    }

    @Test
    void usingATokenRecordsWhenOnEveryNode() {
        users.recordLogin("alice", "Alice", null, Set.of("releng"), clock.instant());
        ApiTokens.Created used = tokens.create("alice", "ci", Duration.ofDays(30));
        ApiTokens.Created unused = tokens.create("alice", "spare", Duration.ofDays(30));
        ApiTokens otherNode = new JdbcApiTokens(database.jdbi(), new JdbcUsers(database.jdbi()), clock, TOKEN_IDLE);
        clock.advance(Duration.ofHours(3));

        Principal who = otherNode.authenticate(used.value()).orElseThrow();

        assertThat(who).isEqualTo(new Principal(Principal.Kind.API_TOKEN, "alice", Set.of("releng")));
        assertThat(tokens.list("alice"))
                .extracting(ApiToken::name, ApiToken::lastUsedAt)
                .containsExactly(tuple("spare", null), tuple("ci", clock.instant()));
        assertThat(unused.token().lastUsedAt()).isNull();
    }

    @Test
    void aTamperedOrUnknownTokenStandsForNobody() {
        users.recordLogin("alice", "Alice", null, Set.of("releng"), clock.instant());
        ApiTokens.Created created = tokens.create("alice", "ci", Duration.ofDays(30));

        assertThat(tokens.authenticate(tampered(created.value()))).isEmpty();
        assertThat(tokens.authenticate(created.value() + "x")).isEmpty();
        assertThat(tokens.authenticate(ApiTokens.PREFIX)).isEmpty();
        assertThat(tokens.authenticate(Secrets.sha256(created.value()))).isEmpty();
        assertThat(tokens.list("alice").get(0).lastUsedAt()).isNull();
        assertThat(tokens.authenticate(created.value())).isPresent();
    }

    @Test
    void aTokenStopsExactlyAtItsExpiry() {
        users.recordLogin("alice", "Alice", null, Set.of(), clock.instant());
        ApiTokens.Created created = tokens.create("alice", "ci", Duration.ofDays(2));
        clock.advance(Duration.ofDays(2).minusSeconds(1));
        assertThat(tokens.authenticate(created.value())).isPresent();

        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> tokens.authenticate(created.value()))
                .isInstanceOf(AuthenticationRequiredException.class)
                .hasMessage("this API token expired at " + created.token().expiresAt());
    }

    @Test
    void anIdleOwnersTokensWakeUpWhenTheyLogInAgain() {
        Instant loggedIn = clock.instant();
        users.recordLogin("alice", "Alice", null, Set.of("qa"), loggedIn);
        ApiTokens.Created created = tokens.create("alice", "ci", Duration.ofDays(300));
        clock.advance(TOKEN_IDLE.minusSeconds(1));
        assertThat(tokens.authenticate(created.value())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> tokens.authenticate(created.value()))
                .isInstanceOf(AuthenticationRequiredException.class)
                .hasMessageContaining("has not logged in since " + loggedIn + ";");

        users.recordLogin("alice", "Alice", null, Set.of("releng"), clock.instant());

        assertThat(tokens.authenticate(created.value()).orElseThrow().groups()).containsExactly("releng");
    }

    @Test
    void aTokenWhoseOwnerNeverLoggedInIsRefused() {
        ApiTokens.Created created = tokens.create("ghost", "ci", Duration.ofDays(30));

        assertThatThrownBy(() -> tokens.authenticate(created.value()))
                .isInstanceOf(AuthenticationRequiredException.class)
                .hasMessage("this API token's owner is unknown");
    }

    @Test
    void revokingKeepsTheFirstTimeAndOnlyTheOwnerMayRevoke() {
        users.recordLogin("alice", "Alice", null, Set.of(), clock.instant());
        ApiTokens.Created revoked = tokens.create("alice", "old", Duration.ofDays(30));
        ApiTokens.Created kept = tokens.create("alice", "new", Duration.ofDays(30));
        Instant revokedAt = clock.instant();
        tokens.revoke("alice", revoked.token().id());
        clock.advance(Duration.ofMinutes(5));

        tokens.revoke("alice", revoked.token().id());

        assertThat(tokens.list("alice"))
                .extracting(ApiToken::name, ApiToken::revokedAt)
                .containsExactly(tuple("new", null), tuple("old", revokedAt));
        assertThat(tokens.list("alice").get(1).usableAt(clock.instant())).isFalse();
        assertThatThrownBy(() -> tokens.revoke("mallory", kept.token().id()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("you have no API token " + kept.token().id());
        assertThatThrownBy(() -> tokens.revoke("alice", kept.token().id() + 1000))
                .isInstanceOf(NotFoundException.class);
        assertThat(tokens.authenticate(kept.value())).isPresent();
    }

    @Test
    void tokensWithOneNameAreDistinctAndTheTableRefusesADuplicateHash() {
        ApiTokens.Created first = tokens.create("alice", "ci", Duration.ofDays(30));
        ApiTokens.Created second = tokens.create("alice", "ci", Duration.ofDays(30));

        assertThat(first.token().id()).isNotEqualTo(second.token().id());
        assertThat(first.value()).isNotEqualTo(second.value());
        assertThat(tokens.list("alice"))
                .extracting(ApiToken::id)
                .containsExactly(second.token().id(), first.token().id());
        assertThatThrownBy(() -> database.jdbi()
                        .useHandle(h -> h.execute(
                                "insert into api_token (owner, name, token_hash, created_at, expires_at)"
                                        + " select 'mallory', 'copy', token_hash, created_at, expires_at"
                                        + " from api_token where id = ?",
                                first.token().id())))
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("api_token_hash_unique"));
        assertThat(tokens.list("mallory")).isEmpty();
    }
}
