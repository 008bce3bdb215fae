package org.fedoraproject.releng.workflow.auth.oidc;

import java.util.Set;
import org.fedoraproject.releng.workflow.access.Principal;

/**
 * Who logged in, from the verified ID token and (when fetched) the userinfo response.
 *
 * @param subject the provider's stable {@code sub}
 * @param username from the configured username claim (FAS nickname); the name permissions use
 * @param fullName may be null
 * @param email may be null
 * @param groups lower-cased
 * @param idToken the raw ID token, kept for the logout hint
 */
public record OidcIdentity(
        String subject, String username, String fullName, String email, Set<String> groups, String idToken) {

    public OidcIdentity {
        groups = new Principal(Principal.Kind.USER, username, groups).groups();
    }

    public Principal toPrincipal() {
        return new Principal(Principal.Kind.USER, username, groups);
    }

    @Override
    public String toString() {
        return "OidcIdentity[subject=" + subject + ", username=" + username + ", groups=" + groups + "]";
    }
}
