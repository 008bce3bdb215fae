package org.fedoraproject.releng.workflow.auth;

import java.time.Instant;

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
}
