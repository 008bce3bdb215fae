package org.fedoraproject.releng.workflow.web;

import io.javalin.http.Context;
import java.util.Optional;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.auth.ServiceAccounts;

/**
 * Works out who sent a request, once, before any route runs. A request with a bearer token that
 * matches nothing is refused outright rather than treated as anonymous, so a mistyped token is
 * noticed at once.
 */
final class Authentication {

    private static final String ATTRIBUTE = "releng.principal";

    private final ServiceAccounts serviceAccounts;

    Authentication(ServiceAccounts serviceAccounts) {
        this.serviceAccounts = serviceAccounts;
    }

    void identify(Context ctx) {
        String header = ctx.header("Authorization");
        Principal principal = Principal.ANONYMOUS;
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
                throw new AuthenticationRequiredException("the Authorization header must be `Bearer <token>`");
            }
            Optional<Principal> known = serviceAccounts.authenticate(header.substring(7).strip());
            principal = known.orElseThrow(() -> new AuthenticationRequiredException("the bearer token is not valid"));
        }
        ctx.attribute(ATTRIBUTE, principal);
    }

    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        return p == null ? Principal.ANONYMOUS : p;
    }
}
