package org.fedoraproject.releng.workflow.auth.oidc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Started logins keyed by their state, each handed out at most once by {@link #take}. Used states
 * are remembered until they would have expired, so a replayed callback is told apart from a
 * forged one. Bounded, so a crawler hitting /login cannot grow it without limit.
 *
 * <p>In memory: with several engine nodes behind a load balancer the callback must reach the node
 * that started the login (sticky sessions), or the route keeps the {@link PendingLogin} in a shared
 * session instead and calls {@link OidcClient#complete(java.util.Map, PendingLogin)}.
 */
public final class PendingLogins {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final int DEFAULT_CAPACITY = 10_000;

    private final Clock clock;
    private final Duration ttl;
    private final int capacity;
    private final Map<String, PendingLogin> pending = new LinkedHashMap<>();
    private final Map<String, Instant> used = new LinkedHashMap<>();

    public PendingLogins(Clock clock) {
        this(clock, DEFAULT_TTL, DEFAULT_CAPACITY);
    }

    public PendingLogins(Clock clock, Duration ttl, int capacity) {
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
    }

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
            throw expired(ttl);
        }
        return login;
    }

    public synchronized int size() {
        return pending.size();
    }

    static LoginFailedException expired(Duration ttl) {
        return new LoginFailedException(
                LoginFailedException.Reason.LOGIN_EXPIRED,
                "The login took longer than " + ttl.toMinutes() + " minutes. Start again from the login link.");
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        pending.values().removeIf(login -> !now.isBefore(login.createdAt().plus(ttl)));
        used.values().removeIf(expiry -> !now.isBefore(expiry));
    }
}
