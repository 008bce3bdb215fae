package org.fedoraproject.releng.workflow.auth;

import java.time.Instant;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;

/** A personal API token as its owner sees it in the list: never its value. */
public record ApiToken(
        long id,
        String owner,
        String name,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    /** @throws AuthenticationRequiredException saying why, when the token is not {@link #usableAt} */
    public void checkUsableAt(Instant now) {
        if (revokedAt != null) {
            throw new AuthenticationRequiredException("this API token was revoked");
        }
        if (!now.isBefore(expiresAt)) {
            throw new AuthenticationRequiredException("this API token expired at " + expiresAt);
        }
    }
}
