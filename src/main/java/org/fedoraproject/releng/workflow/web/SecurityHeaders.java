package org.fedoraproject.releng.workflow.web;

import io.javalin.http.Context;
import java.net.URI;

/**
 * Headers every response carries, pages or not: a Content-Security-Policy that lets a page run
 * only the engine's own script files (so text that slipped into a page unescaped still cannot
 * run) and never be framed (clickjacking), no MIME sniffing, and no full URL in the Referer that
 * a link to another site would carry away (run pages' URLs may name restricted workflows).
 *
 * <p>{@code form-action} also names the OIDC provider: the Log out form ends in a redirect to
 * the provider's logout page, and browsers apply {@code form-action} to a form's redirects.
 */
final class SecurityHeaders {

    static final String CSP = "Content-Security-Policy";
    private final String policy;

    SecurityHeaders(String oidcIssuer) {
        String provider = oidcIssuer == null ? "" : " " + origin(oidcIssuer);
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none';"
                + " form-action 'self'" + provider;
    }

    void apply(Context ctx) {
        ctx.header(CSP, policy);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
    }

    String policy() {
        return policy;
    }

    private static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }
}
