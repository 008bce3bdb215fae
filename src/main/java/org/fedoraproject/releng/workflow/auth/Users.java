package org.fedoraproject.releng.workflow.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Everyone who has logged in through the provider, with the groups the provider gave at their last
 * login. Refreshed at every login, so that a person removed from a FAS group loses what the group
 * granted their API tokens the next time they log in (and every token stops after
 * {@code auth.tokenMaxIdle} without a login). Shared by every engine node: {@link JdbcUsers}.
 */
public interface Users {

    /** Adds the person at their first login; later logins replace their name, email and groups. */
    void recordLogin(String name, String fullName, String email, Set<String> groups, Instant at);

    Optional<UserRecord> find(String name);
}
