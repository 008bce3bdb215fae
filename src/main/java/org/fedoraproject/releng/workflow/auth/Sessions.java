package org.fedoraproject.releng.workflow.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Logged-in browsers, known by a random cookie value; each session has its own CSRF token and ends
 * when logged out or {@link #maxAge} after it began. Shared by every engine node, so any node can
 * serve any request: {@link JdbcSessions}.
 */
public interface Sessions {

    /** What {@link #create} returns: the cookie value, shown to nobody else, and the session. */
    record Created(String id, Session session) {}

    /** How long a session lives; the cookie lives as long. */
    Duration maxAge();

    Created create(String userName, String origin, Set<String> groups, String fullName, String email, String idToken);

    /** The live session with this cookie value, if any; none for a missing or blank value. */
    Optional<Session> find(String id);

    /** Ends the session with this cookie value; an unknown or missing value is no error. */
    void end(String id);
}
