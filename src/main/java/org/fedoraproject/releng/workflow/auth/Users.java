package org.fedoraproject.releng.workflow.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Everyone who has logged in through the provider, with the groups the provider gave at their last
 * login. Refreshed at every login, so that a person removed from a FAS group loses what the group
 * granted their API tokens the next time they log in (and every token stops after
 * {@code auth.tokenMaxIdle} without a login).
 */
public final class Users {

    private final Jdbi jdbi;

    public Users(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void recordLogin(String name, String fullName, String email, Set<String> groups, Instant at) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("update users set full_name = :f, email = :e, groups = :g, last_login_at = :at"
                            + " where name = :n")
                    .bind("n", name)
                    .bind("f", fullName)
                    .bind("e", email)
                    .bind("g", Secrets.joinGroups(groups))
                    .bind("at", Timestamp.from(at))
                    .execute();
            if (updated == 0) {
                h.createUpdate("insert into users (name, full_name, email, groups, first_login_at, last_login_at)"
                                + " values (:n, :f, :e, :g, :at, :at)")
                        .bind("n", name)
                        .bind("f", fullName)
                        .bind("e", email)
                        .bind("g", Secrets.joinGroups(groups))
                        .bind("at", Timestamp.from(at))
                        .execute();
            }
        });
    }

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
