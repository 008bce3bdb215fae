package org.fedoraproject.releng.workflow.auth;

import java.time.Instant;
import java.util.Set;
import org.fedoraproject.releng.workflow.access.Principal;

/**
 * A logged-in browser. {@code origin} is {@link #OIDC} or {@link #LOCAL} (the break-glass login);
 * {@code idToken} is kept only as the provider's logout hint.
 */
public record Session(
        String userName,
        String origin,
        Set<String> groups,
        String fullName,
        String email,
        String idToken,
        String csrfToken,
        Instant createdAt,
        Instant expiresAt) {

    public static final String OIDC = "oidc";
    public static final String LOCAL = "local";

    public Principal principal() {
        return new Principal(Principal.Kind.USER, userName, groups);
    }

    public boolean isLocal() {
        return LOCAL.equals(origin);
    }
}
