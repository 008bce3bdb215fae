package org.fedoraproject.releng.workflow.auth;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Browser sessions in the {@code login_session} table, so any engine node can serve any request.
 * The cookie carries a random id; only its SHA-256 is stored.
 */
public final class JdbcSessions implements Sessions {

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration maxAge;

    public JdbcSessions(Jdbi jdbi, Clock clock, Duration maxAge) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    @Override
    public Duration maxAge() {
        return maxAge;
    }

    @Override
    public Created create(
            String userName, String origin, Set<String> groups, String fullName, String email, String idToken) {
        Instant now = clock.instant();
        String id = Secrets.random("");
        Session session = new Session(
                userName, origin, groups, fullName, email, idToken, Secrets.random(""), now, now.plus(maxAge));
        jdbi.useTransaction(h -> {
            // a cheap sweep at each login keeps the table to live sessions
            h.createUpdate("delete from login_session where expires_at < :now")
                    .bind("now", Timestamp.from(now))
                    .execute();
            h.createUpdate(
                            "insert into login_session (id_hash, user_name, origin, groups, full_name, email, id_token,"
                                    + " csrf_token, created_at, expires_at) values (:id, :u, :o, :g, :f, :e, :t, :c, :at, :exp)")
                    .bind("id", Secrets.sha256(id))
                    .bind("u", userName)
                    .bind("o", origin)
                    .bind("g", Secrets.joinGroups(session.groups()))
                    .bind("f", fullName)
                    .bind("e", email)
                    .bind("t", idToken)
                    .bind("c", session.csrfToken())
                    .bind("at", Timestamp.from(now))
                    .bind("exp", Timestamp.from(session.expiresAt()))
                    .execute();
        });
        return new Created(id, session);
    }

    @Override
    public Optional<Session> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery(
                        "select * from login_session where id_hash = :id and expires_at > :now")
                .bind("id", Secrets.sha256(id))
                .bind("now", Timestamp.from(clock.instant()))
                .map((rs, c) -> new Session(
                        rs.getString("user_name"),
                        rs.getString("origin"),
                        Secrets.splitGroups(rs.getString("groups")),
                        rs.getString("full_name"),
                        rs.getString("email"),
                        rs.getString("id_token"),
                        rs.getString("csrf_token"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant()))
                .findOne());
    }

    @Override
    public void end(String id) {
        if (id != null) {
            jdbi.useHandle(h -> h.createUpdate("delete from login_session where id_hash = :id")
                    .bind("id", Secrets.sha256(id))
                    .execute());
        }
    }
}
