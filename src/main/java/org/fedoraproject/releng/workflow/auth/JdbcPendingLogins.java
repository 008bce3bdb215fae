package org.fedoraproject.releng.workflow.auth;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogin;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogins;
import org.jdbi.v3.core.Jdbi;

/**
 * Started logins in the database, each handed out at most once, so that with several engine nodes
 * the provider's callback may land on any of them. Unknown, reused and expired states fail with
 * their own reason.
 */
public final class JdbcPendingLogins implements PendingLogins {

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration ttl;

    public JdbcPendingLogins(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.ttl = PendingLogins.DEFAULT_TTL;
    }

    @Override
    public void add(PendingLogin login) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from pending_login where created_at < :old")
                    .bind("old", Timestamp.from(clock.instant().minus(ttl)))
                    .execute();
            h.createUpdate(
                            "insert into pending_login (state, nonce, code_verifier, redirect_uri, return_to, created_at)"
                                    + " values (:s, :n, :v, :r, :t, :at)")
                    .bind("s", login.state())
                    .bind("n", login.nonce())
                    .bind("v", login.codeVerifier())
                    .bind("r", login.redirectUri().toString())
                    .bind("t", login.returnTo())
                    .bind("at", Timestamp.from(login.createdAt()))
                    .execute();
        });
    }

    /**
     * Marks the login started with this state as used and returns it; the conditional update makes
     * two nodes racing on one callback agree on a single winner.
     *
     * @throws LoginFailedException {@code MALFORMED_CALLBACK}, {@code UNKNOWN_STATE}, {@code
     *     STATE_REUSED} or {@code LOGIN_EXPIRED}
     */
    @Override
    public PendingLogin take(String state) {
        if (state == null || state.isBlank()) {
            throw new LoginFailedException(
                    Reason.MALFORMED_CALLBACK, "The login callback carries no state. Start again from the login link.");
        }
        Instant now = clock.instant();
        int claimed = jdbi.withHandle(
                h -> h.createUpdate("update pending_login set used_at = :now where state = :s" + " and used_at is null")
                        .bind("now", Timestamp.from(now))
                        .bind("s", state)
                        .execute());
        Optional<PendingLogin> login =
                jdbi.withHandle(h -> h.createQuery("select * from pending_login where state = :s")
                        .bind("s", state)
                        .map((rs, c) -> new PendingLogin(
                                rs.getString("state"),
                                rs.getString("nonce"),
                                rs.getString("code_verifier"),
                                URI.create(rs.getString("redirect_uri")),
                                rs.getTimestamp("created_at").toInstant(),
                                rs.getString("return_to")))
                        .findOne());
        boolean expired =
                login.isPresent() && !now.isBefore(login.get().createdAt().plus(ttl));
        if (login.isEmpty() || (claimed == 0 && expired)) {
            throw new LoginFailedException(
                    Reason.UNKNOWN_STATE,
                    "This login was not started here or has been forgotten. Start again from the login link.");
        }
        if (claimed == 0) {
            throw new LoginFailedException(
                    Reason.STATE_REUSED,
                    "This login was already completed; a reloaded or replayed login page cannot log in"
                            + " again. Start again from the login link.");
        }
        if (expired) {
            throw PendingLogins.expired(ttl);
        }
        return login.get();
    }
}
