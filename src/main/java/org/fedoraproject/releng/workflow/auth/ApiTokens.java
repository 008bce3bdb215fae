package org.fedoraproject.releng.workflow.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.jdbi.v3.core.Jdbi;

/**
 * Personal API tokens: created by a logged-in person, shown once, stored as SHA-256 hashes. A token
 * acts as its owner with the groups of the owner's last login, and stops working when the owner
 * has not logged in for {@code auth.tokenMaxIdle}: someone who left Fedora stops logging in, and
 * their tokens die with their FAS account without anyone having to remember them.
 */
public final class ApiTokens {

    public static final String PREFIX = "rwe_";
    public static final Duration MAX_VALIDITY = Duration.ofDays(366);

    /** What {@link #create} returns: the token's value, shown to its owner once, and its record. */
    public record Created(String value, ApiToken token) {}

    private final Jdbi jdbi;
    private final Users users;
    private final Clock clock;
    private final Duration maxIdle;

    public ApiTokens(Jdbi jdbi, Users users, Clock clock, Duration maxIdle) {
        this.jdbi = jdbi;
        this.users = users;
        this.clock = clock;
        this.maxIdle = maxIdle;
    }

    public Created create(String owner, String name, Duration validity) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name: give the token a name of 1 to 200 characters, e.g. `jenkins`");
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("expiry: a token lives between 1 and 366 days");
        }
        String value = Secrets.random(PREFIX);
        Instant now = clock.instant();
        long id = jdbi.withHandle(
                h -> h.createUpdate("insert into api_token (owner, name, token_hash, created_at, expires_at)"
                                + " values (:o, :n, :h, :at, :exp)")
                        .bind("o", owner)
                        .bind("n", name.strip())
                        .bind("h", Secrets.sha256(value))
                        .bind("at", Timestamp.from(now))
                        .bind("exp", Timestamp.from(now.plus(validity)))
                        .executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class)
                        .one());
        return new Created(value, new ApiToken(id, owner, name.strip(), now, now.plus(validity), null, null));
    }

    /** The owner's tokens, newest first, revoked ones included (they show as revoked). */
    public List<ApiToken> list(String owner) {
        return jdbi.withHandle(h -> h.createQuery("select * from api_token where owner = :o order by id desc")
                .bind("o", owner)
                .map((rs, c) -> token(rs))
                .list());
    }

    /** Revokes one of the owner's tokens; someone else's token is reported as not found. */
    public void revoke(String owner, long id) {
        int n = jdbi.withHandle(
                h -> h.createUpdate("update api_token set revoked_at = :at where id = :id and owner = :o"
                                + " and revoked_at is null")
                        .bind("at", Timestamp.from(clock.instant()))
                        .bind("id", id)
                        .bind("o", owner)
                        .execute());
        if (n == 0 && list(owner).stream().noneMatch(t -> t.id() == id)) {
            throw new NotFoundException("you have no API token " + id);
        }
    }

    /**
     * The principal a presented token stands for, or empty when the value is not a personal token
     * at all (then it may be a service account's).
     *
     * @throws AuthenticationRequiredException for a revoked or expired token, or an idle owner
     */
    public Optional<Principal> authenticate(String value) {
        if (!value.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Optional<ApiToken> found = jdbi.withHandle(h -> h.createQuery("select * from api_token where token_hash = :h")
                .bind("h", Secrets.sha256(value))
                .map((rs, c) -> token(rs))
                .findOne());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiToken token = found.get();
        Instant now = clock.instant();
        if (token.revokedAt() != null) {
            throw new AuthenticationRequiredException("this API token was revoked");
        }
        if (!now.isBefore(token.expiresAt())) {
            throw new AuthenticationRequiredException("this API token expired at " + token.expiresAt());
        }
        UserRecord owner = users.find(token.owner())
                .orElseThrow(() -> new AuthenticationRequiredException("this API token's owner is unknown"));
        if (!now.isBefore(owner.lastLoginAt().plus(maxIdle))) {
            throw new AuthenticationRequiredException("this API token's owner has not logged in since "
                    + owner.lastLoginAt() + "; log in to the web interface to wake your tokens up");
        }
        jdbi.useHandle(h -> h.createUpdate("update api_token set last_used_at = :at where id = :id")
                .bind("at", Timestamp.from(now))
                .bind("id", token.id())
                .execute());
        return Optional.of(new Principal(Principal.Kind.API_TOKEN, owner.name(), owner.groups()));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(
                rs.getLong("id"),
                rs.getString("owner"),
                rs.getString("name"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(),
                instant(rs.getTimestamp("last_used_at")),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
