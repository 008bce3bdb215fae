package org.fedoraproject.releng.workflow.auth.oidc;

import java.time.Duration;

/**
 * Started logins keyed by their state, each handed out at most once by {@link #take}, so that a
 * replayed callback is told apart from a forged one. Shared by every engine node (the provider's
 * callback may land on any of them): {@code auth.JdbcPendingLogins}.
 */
public interface PendingLogins {

    /** How long a started login may take; the browser-binding cookie lives as long. */
    Duration DEFAULT_TTL = Duration.ofMinutes(10);

    void add(PendingLogin login);

    /**
     * Removes and returns the login started with this state.
     *
     * @throws LoginFailedException {@code MALFORMED_CALLBACK}, {@code UNKNOWN_STATE}, {@code
     *     STATE_REUSED} or {@code LOGIN_EXPIRED}
     */
    PendingLogin take(String state);

    static LoginFailedException expired(Duration ttl) {
        return new LoginFailedException(
                LoginFailedException.Reason.LOGIN_EXPIRED,
                "The login took longer than " + ttl.toMinutes() + " minutes. Start again from the login link.");
    }
}
