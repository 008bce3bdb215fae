package org.fedoraproject.releng.workflow.web;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.auth.ApiTokens;
import org.fedoraproject.releng.workflow.auth.Secrets;
import org.fedoraproject.releng.workflow.auth.ServiceAccounts;
import org.fedoraproject.releng.workflow.auth.Session;
import org.fedoraproject.releng.workflow.auth.Sessions;
import org.fedoraproject.releng.workflow.run.Links;

/**
 * Works out who sent a request, once, before any route runs: a bearer token (a service account or
 * a personal API token), else the session cookie, else anonymous. A request with a bearer token that
 * matches nothing is refused outright rather than treated as anonymous, so a mistyped token is
 * noticed at once.
 *
 * <p>A state-changing request that rides on the session cookie must also carry the session's CSRF
 * token, in the form field {@code csrf} or the header {@code X-CSRF-Token} (as Jenkins' crumb):
 * another site can make a browser send the cookie, but cannot read the token. Bearer-token calls
 * need none, since browsers never add that header by themselves.
 */
final class Authentication {

    static final String COOKIE = "releng_session";
    static final String CSRF_FIELD = "csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String PRINCIPAL = "releng.principal";
    private static final String SESSION = "releng.session";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ServiceAccounts serviceAccounts;
    private final ApiTokens apiTokens;
    private final Sessions sessions;
    private final Links links;

    Authentication(ServiceAccounts serviceAccounts, ApiTokens apiTokens, Sessions sessions, Links links) {
        this.serviceAccounts = serviceAccounts;
        this.apiTokens = apiTokens;
        this.sessions = sessions;
        this.links = links;
    }

    void identify(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
                throw new AuthenticationRequiredException("the Authorization header must be `Bearer <token>`");
            }
            String token = header.substring(7).strip();
            Optional<Principal> known = serviceAccounts.authenticate(token);
            if (known.isEmpty()) {
                known = apiTokens.authenticate(token);
            }
            ctx.attribute(
                    PRINCIPAL,
                    known.orElseThrow(() -> new AuthenticationRequiredException("the bearer token is not valid")));
            return;
        }
        String cookie = ctx.cookie(COOKIE);
        Optional<Session> session = sessions.find(cookie);
        if (session.isEmpty()) {
            if (cookie != null) {
                clearCookie(ctx);
            }
            ctx.attribute(PRINCIPAL, Principal.ANONYMOUS);
            return;
        }
        ctx.attribute(PRINCIPAL, session.get().principal());
        ctx.attribute(SESSION, session.get());
        if (!SAFE_METHODS.contains(ctx.method().name())) {
            checkCsrf(ctx, session.get());
        }
    }

    private static void checkCsrf(Context ctx, Session session) {
        String presented = ctx.header(CSRF_HEADER);
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (presented == null
                && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/"))) {
            presented = ctx.formParam(CSRF_FIELD);
        }
        if (!Secrets.constantTimeEquals(session.csrfToken(), presented)) {
            throw new HttpErrors.Forbidden("this request came with your session cookie but without its CSRF token"
                    + " (form field `csrf` or header `" + CSRF_HEADER + "`, from /api/whoami); it may come from another"
                    + " site, so it was refused. Reload the page and try again.");
        }
    }

    void startSession(Context ctx, Sessions.Created created) {
        ctx.header(
                "Set-Cookie",
                COOKIE + "=" + created.id() + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
                        + sessions.maxAge().toSeconds() + secure());
    }

    /** Ends the session this request carries, if any. */
    Optional<Session> endSession(Context ctx) {
        Optional<Session> session = session(ctx);
        sessions.end(ctx.cookie(COOKIE));
        clearCookie(ctx);
        return session;
    }

    private void clearCookie(Context ctx) {
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + secure());
    }

    private String secure() {
        return links.secure() ? "; Secure" : "";
    }

    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        return p == null ? Principal.ANONYMOUS : p;
    }

    /** The browser session behind this request; empty for anonymous and bearer-token callers. */
    static Optional<Session> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION));
    }
}
