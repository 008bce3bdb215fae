package org.fedoraproject.releng.workflow.auth;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The people who logged in, in the {@code users} table shared by every engine node. */
public final class JdbcUsers implements Users {

    private final Jdbi jdbi;

    public JdbcUsers(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void recordLogin(String name, String fullName, String email, Set<String> groups, Instant at) {
        if (update(name, fullName, email, groups, at) > 0) {
            return;
        }
        try {
            jdbi.useHandle(h -> h.createUpdate(
                            "insert into users (name, full_name, email, groups, first_login_at, last_login_at)"
                                    + " values (:n, :f, :e, :g, :at, :at)")
                    .bind("n", name)
                    .bind("f", fullName)
                    .bind("e", email)
                    .bind("g", Secrets.joinGroups(groups))
                    .bind("at", Timestamp.from(at))
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            // another node recorded the same first login between our update and insert: theirs
            // is the first login, ours the latest
            update(name, fullName, email, groups, at);
        }
    }

    private int update(String name, String fullName, String email, Set<String> groups, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "update users set full_name = :f, email = :e, groups = :g, last_login_at = :at where name = :n")
                .bind("n", name)
                .bind("f", fullName)
                .bind("e", email)
                .bind("g", Secrets.joinGroups(groups))
                .bind("at", Timestamp.from(at))
                .execute());
    }

    /** SQLSTATE 23505, unique violation, on H2 and PostgreSQL alike. */
    private static boolean isDuplicateKey(UnableToExecuteStatementException e) {
        return e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }

    @Override
    public Optional<UserRecord> find(String name) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select name, full_name, email, groups, last_login_at from users where name = :n")
                .bind("n", name)
                .map((rs, c) -> new UserRecord(
                        rs.getString("name"),
                        rs.getString("full_name"),
                        rs.getString("email"),
                        Secrets.splitGroups(rs.getString("groups")),
                        rs.getTimestamp("last_login_at").toInstant()))
                .findOne());
    }
}
