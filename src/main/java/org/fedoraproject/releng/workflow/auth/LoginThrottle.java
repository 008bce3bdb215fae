package org.fedoraproject.releng.workflow.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing at the break-glass login, per user name and per client address: each
 * key has a few free failures, then must wait an exponentially growing back-off before its next
 * attempt; a success clears both keys. An attempt is {@linkplain #tryAcquire reserved} before the
 * password is checked, so a burst of concurrent guesses gets one hash computed per free attempt
 * and the rest refused at once, without a server thread waiting or a hash being derived.
 *
 * <p>In memory, per engine node: with several nodes an attacker gets each node's allowance, which
 * still leaves a handful of guesses a minute. Bounded: the least recently used keys are forgotten
 * beyond {@link #CAPACITY}, so inventing names or addresses cannot exhaust memory.
 */
public final class LoginThrottle {

    public static final int FREE_FAILURES = 5;
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);
    /** A key with no attempt for this long starts afresh. */
    public static final Duration FORGET_AFTER = Duration.ofHours(1);

    public static final int CAPACITY = 10_000;
    /** Names longer than any real one share a key: they cannot match, and need not cost memory. */
    private static final int NAME_KEY_LENGTH = 64;

    private final Clock clock;
    private final Map<String, Failures> byName = lruMap();
    private final Map<String, Failures> byAddress = lruMap();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Reserves one attempt for this name from this address, counting it as a failure until {@link
     * #succeeded} says otherwise.
     *
     * @return empty when the attempt may go ahead, else how long the caller must wait
     */
    public synchronized Optional<Duration> tryAcquire(String name, String address) {
        Instant now = clock.instant();
        Failures forName = current(byName, nameKey(name), now);
        Failures forAddress = current(byAddress, addressKey(address), now);
        Duration wait = max(forName.waitAt(now), forAddress.waitAt(now));
        if (!wait.isZero()) {
            return Optional.of(wait);
        }
        byName.put(nameKey(name), forName.plusOne(now));
        byAddress.put(addressKey(address), forAddress.plusOne(now));
        return Optional.empty();
    }

    /** The reserved attempt was right: neither its name nor its address owes anything. */
    public synchronized void succeeded(String name, String address) {
        byName.remove(nameKey(name));
        byAddress.remove(addressKey(address));
    }

    synchronized int size() {
        return byName.size() + byAddress.size();
    }

    /** How long the {@code failures}-th failure makes its key wait: 1 s, 2 s, 4 s … after the free ones. */
    static Duration backoff(int failures) {
        int beyond = failures - FREE_FAILURES;
        if (beyond < 0) {
            return Duration.ZERO;
        }
        return beyond >= 20 ? MAX_BACKOFF : min(Duration.ofSeconds(1L << beyond), MAX_BACKOFF);
    }

    /**
     * An IPv6 client usually holds a whole /64, so that is one key; an IPv4 address is its own.
     * The address is the socket's: a header such as X-Forwarded-For is the client's to invent.
     */
    static String addressKey(String address) {
        if (address == null) {
            return "";
        }
        String bare =
                address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (!bare.contains(":")) {
            return bare;
        }
        try {
            byte[] bytes = InetAddress.getByName(bare).getAddress();
            if (bytes.length == 16) {
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return bare;
        }
    }

    private static String nameKey(String name) {
        String n = name == null ? "" : name;
        return n.length() > NAME_KEY_LENGTH ? n.substring(0, NAME_KEY_LENGTH) : n;
    }

    private static Failures current(Map<String, Failures> map, String key, Instant now) {
        Failures f = map.get(key);
        return f == null || !now.isBefore(f.last().plus(FORGET_AFTER)) ? Failures.NONE : f;
    }

    private record Failures(int count, Instant last) {
        static final Failures NONE = new Failures(0, Instant.EPOCH);

        Duration waitAt(Instant now) {
            Instant allowed = last.plus(backoff(count));
            return now.isBefore(allowed) ? Duration.between(now, allowed) : Duration.ZERO;
        }

        Failures plusOne(Instant now) {
            return new Failures(count + 1, now);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Map<String, Failures> lruMap() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > CAPACITY;
            }
        };
    }
}
