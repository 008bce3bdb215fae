package org.fedoraproject.releng.workflow.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Principal;

/** A person as of their last login: API tokens act with these groups. */
public record UserRecord(String name, String fullName, String email, Set<String> groups, Instant lastLoginAt) {

    /**
     * Who this person's API tokens act as at {@code now}.
     *
     * @throws AuthenticationRequiredException when they have not logged in for {@code maxIdle}
     */
    public Principal tokenPrincipalAt(Instant now, Duration maxIdle) {
        if (!now.isBefore(lastLoginAt.plus(maxIdle))) {
            throw new AuthenticationRequiredException("this API token's owner has not logged in since " + lastLoginAt
                    + "; log in to the web interface to wake your tokens up");
        }
        return new Principal(Principal.Kind.API_TOKEN, name, groups);
    }
}
