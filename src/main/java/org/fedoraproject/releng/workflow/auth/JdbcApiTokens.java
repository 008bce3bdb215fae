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
 * API tokens in the {@code api_token} table, by the SHA-256 of their value: random 256-bit values
 * need no salt or stretching, and the table never holds a value that would work.
 */
public final class JdbcApiTokens implements ApiTokens {

    private final Jdbi jdbi;
    private final Users users;
    private final Clock clock;
    private final Duration maxIdle;

    public JdbcApiTokens(Jdbi jdbi, Users users, Clock clock, Duration maxIdle) {
        this.jdbi = jdbi;
        this.users = users;
        this.clock = clock;
        this.maxIdle = maxIdle;
    }

    @Override
    public Created create(String owner, String name, Duration validity) {
        String checkedName = ApiTokens.checkedName(name, validity);
        String value = Secrets.random(PREFIX);
        Instant now = clock.instant();
        long id = jdbi.withHandle(
                h -> h.createUpdate("insert into api_token (owner, name, token_hash, created_at, expires_at)"
                                + " values (:o, :n, :h, :at, :exp)")
                        .bind("o", owner)
                        .bind("n", checkedName)
                        .bind("h", Secrets.sha256(value))
                        .bind("at", Timestamp.from(now))
                        .bind("exp", Timestamp.from(now.plus(validity)))
                        .executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class)
                        .one());
        return new Created(value, new ApiToken(id, owner, checkedName, now, now.plus(validity), null, null));
    }

    @Override
    public List<ApiToken> list(String owner) {
        return jdbi.withHandle(h -> h.createQuery("select * from api_token where owner = :o order by id desc")
                .bind("o", owner)
                .map((rs, c) -> token(rs))
                .list());
    }

    @Override
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

    @Override
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
        token.checkUsableAt(now);
        Principal principal = users.find(token.owner())
                .orElseThrow(() -> new AuthenticationRequiredException("this API token's owner is unknown"))
                .tokenPrincipalAt(now, maxIdle);
        jdbi.useHandle(h -> h.createUpdate("update api_token set last_used_at = :at where id = :id")
                .bind("at", Timestamp.from(now))
                .bind("id", token.id())
                .execute());
        return Optional.of(principal);
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
