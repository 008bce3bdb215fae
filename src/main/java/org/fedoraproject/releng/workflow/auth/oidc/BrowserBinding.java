package org.fedoraproject.releng.workflow.auth.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Ties a login's callback to the browser that started it, as RFC 6749 §10.12 advises: the browser
 * keeps a random secret in a cookie and the login's {@code state} is that secret's SHA-256. The
 * callback succeeds only where the cookie hashes to its state, so a callback URL carried to
 * another browser (an attacker's stolen one, or an attacker's own login pushed onto a victim)
 * logs nobody in. The state stored with the pending login is the hash, so the check needs no
 * extra storage and works on whichever node the callback reaches.
 *
 * @param secret the cookie's value: never in a URL, log or the database
 * @param state the login's state, as the provider will echo it
 */
public record BrowserBinding(String secret, String state) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COOKIE_PREFIX = "releng_login_";

    public static BrowserBinding fresh() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = b64(bytes);
        return new BrowserBinding(secret, stateOf(secret));
    }

    /**
     * The cookie's name, distinct per login so that logins started in two tabs of one browser do
     * not overwrite each other's cookie.
     */
    public static String cookieName(String state) {
        String safe = state == null ? "" : state.replaceAll("[^A-Za-z0-9_-]", "");
        return COOKIE_PREFIX + (safe.length() > 16 ? safe.substring(0, 16) : safe);
    }

    public String cookieName() {
        return cookieName(state);
    }

    /** Whether {@code secret} (the cookie the callback arrived with, maybe null) started {@code state}. */
    public static boolean matches(String state, String secret) {
        if (state == null || secret == null) {
            return false;
        }
        return MessageDigest.isEqual(
                stateOf(secret).getBytes(StandardCharsets.US_ASCII), state.getBytes(StandardCharsets.US_ASCII));
    }

    private static String stateOf(String secret) {
        try {
            return b64(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Leaves the secret out of logs. */
    @Override
    public String toString() {
        return "BrowserBinding[state=" + state + "]";
    }
}
