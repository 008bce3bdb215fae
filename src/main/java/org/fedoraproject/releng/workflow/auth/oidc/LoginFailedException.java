package org.fedoraproject.releng.workflow.auth.oidc;

import java.util.Locale;

/**
 * A login could not be completed. The message is meant for the person logging in (what happened
 * and what to do); {@link #reason()} is for logs, metrics and tests. A route typically answers
 * 400 with the message and a link to start again.
 */
public class LoginFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the login failed. */
    public enum Reason {
        /** The callback's state is not one this engine handed out (forged, or from another node). */
        UNKNOWN_STATE,
        /** The callback's state was already used: a reload or a replayed callback. */
        STATE_REUSED,
        /** The callback's state differs from the pending login it was checked against. */
        STATE_MISMATCH,
        /** The callback came to a browser other than the one that started the login (no or another binding cookie). */
        OTHER_BROWSER,
        /** Too much time passed between starting the login and coming back. */
        LOGIN_EXPIRED,
        /** The callback URL lacks code and state, or cannot be parsed. */
        MALFORMED_CALLBACK,
        /** The provider answered the authorization request with an error (e.g. access_denied). */
        PROVIDER_ERROR,
        /** The callback names a different issuer (RFC 9207 {@code iss}): a mix-up attack. */
        ISSUER_MISMATCH,
        /** The provider could not be reached. */
        PROVIDER_UNREACHABLE,
        /** The token endpoint refused the code: already used, expired, or its PKCE check failed. */
        CODE_REJECTED,
        /** The token endpoint failed otherwise (e.g. invalid_client: a wrong client secret). */
        TOKEN_ENDPOINT_ERROR,
        /** The ID token is missing or not a JWT. */
        ID_TOKEN_MALFORMED,
        /** The ID token is not signed ({@code alg: none}). */
        ID_TOKEN_UNSIGNED,
        /** The ID token's signature does not verify with the provider's published keys. */
        ID_TOKEN_SIGNATURE,
        /** The ID token's {@code iss} is not the configured issuer. */
        ID_TOKEN_ISSUER,
        /** The ID token was not issued to this client. */
        ID_TOKEN_AUDIENCE,
        /** The ID token has expired. */
        ID_TOKEN_EXPIRED,
        /** The ID token claims to be issued in the future (clocks disagree). */
        ID_TOKEN_NOT_YET_VALID,
        /** The ID token's nonce is not the one this login sent. */
        NONCE_MISMATCH,
        /** The userinfo endpoint failed or answered for a different subject. */
        USERINFO_FAILED,
        /** A claim the engine needs (the username) is missing. */
        MISSING_CLAIM;

        /** The reason as JSON and logs show it, e.g. {@code id-token-expired}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public LoginFailedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public LoginFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
