package org.fedoraproject.releng.workflow.auth.oidc;

import java.io.Serializable;
import java.net.URI;
import java.time.Instant;

/**
 * What a started login must remember until the provider sends the browser back: all secret to
 * the browser except {@code state}. Serializable so a route can keep it in a session; or keep it
 * in {@link PendingLogins}, which hands each one out once.
 *
 * @param returnTo where to send the user after login: a local path, never an absolute URL
 */
public record PendingLogin(
        String state, String nonce, String codeVerifier, URI redirectUri, Instant createdAt, String returnTo)
        implements Serializable {

    /** Leaves the nonce and the PKCE verifier out of logs. */
    @Override
    public String toString() {
        return "PendingLogin[state=" + state + ", createdAt=" + createdAt + ", returnTo=" + returnTo + "]";
    }

    /**
     * Only local paths such as {@code /workflows/compose-nightly}: an absolute or
     * protocol-relative URL ({@code //evil.example}) would make /login an open redirect.
     */
    public static String safeReturnPath(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }
}
