package org.fedoraproject.releng.workflow.auth.oidc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tests' fake of {@link PendingLogins}, for tests of the OIDC client that need no database.
 * Used states are remembered until they would have expired, as the JDBC store does.
 */
public final class InMemoryPendingLogins implements PendingLogins {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final Clock clock;
    private final Duration ttl;
    private final int capacity;
    private final Map<String, PendingLogin> pending = new LinkedHashMap<>();
    private final Map<String, Instant> used = new LinkedHashMap<>();

    public InMemoryPendingLogins(Clock clock) {
        this(clock, DEFAULT_TTL, DEFAULT_CAPACITY);
    }

    public InMemoryPendingLogins(Clock clock, Duration ttl, int capacity) {
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
    }

    @Override
    public synchronized void add(PendingLogin login) {
        purgeExpired();
        if (pending.size() >= capacity) {
            pending.values().stream()
                    .min(Comparator.comparing(PendingLogin::createdAt))
                    .ifPresent(oldest -> pending.remove(oldest.state()));
        }
        pending.put(login.state(), login);
    }

    /**
     * Removes and returns the login started with this state.
     *
     * @throws LoginFailedException {@code UNKNOWN_STATE}, {@code STATE_REUSED} or {@code
     *     LOGIN_EXPIRED}
     */
    @Override
    public synchronized PendingLogin take(String state) {
        if (state == null || state.isBlank()) {
            throw new LoginFailedException(
                    LoginFailedException.Reason.MALFORMED_CALLBACK,
                    "The login callback carries no state. Start again from the login link.");
        }
        PendingLogin login = pending.remove(state);
        Instant now = clock.instant();
        if (login == null) {
            Instant expiry = used.get(state);
            if (expiry != null && now.isBefore(expiry)) {
                throw new LoginFailedException(
                        LoginFailedException.Reason.STATE_REUSED,
                        "This login was already completed; a reloaded or replayed login page cannot log in"
                                + " again. Start again from the login link.");
            }
            throw new LoginFailedException(
                    LoginFailedException.Reason.UNKNOWN_STATE,
                    "This login was not started here or has been forgotten (for instance after a restart)."
                            + " Start again from the login link.");
        }
        used.put(state, login.createdAt().plus(ttl));
        if (!now.isBefore(login.createdAt().plus(ttl))) {
            throw PendingLogins.expired(ttl);
        }
        return login;
    }

    public synchronized int size() {
        return pending.size();
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        pending.values().removeIf(login -> !now.isBefore(login.createdAt().plus(ttl)));
        used.values().removeIf(expiry -> !now.isBefore(expiry));
    }
}
