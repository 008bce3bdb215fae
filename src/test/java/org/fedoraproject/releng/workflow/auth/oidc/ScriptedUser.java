package org.fedoraproject.releng.workflow.auth.oidc;

import com.nimbusds.oauth2.sdk.TokenRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * The user mock-oauth2-server logs in: a FAS-like account with nickname and groups. Tests may add
 * or override claims (even {@code iss} or {@code aud}: the provider adds these claims last) to make
 * the real provider sign a bad token. Registered once in the server's configuration rather than
 * enqueued, so a test that fails half-way leaves nothing behind for the next one.
 */
final class ScriptedUser implements OAuth2TokenCallback {

    static final String SUBJECT = "f0e1d2c3-adamw";

    private volatile Map<String, Object> extraClaims = Map.of();

    void reset() {
        extraClaims = Map.of();
    }

    void override(Map<String, Object> claims) {
        extraClaims = Map.copyOf(claims);
    }

    @Override
    public String issuerId() {
        return "default";
    }

    @Override
    public String subject(TokenRequest tokenRequest) {
        return SUBJECT;
    }

    @Override
    public String typeHeader(TokenRequest tokenRequest) {
        return "JWT";
    }

    @Override
    public List<String> audience(TokenRequest tokenRequest) {
        return List.of(OidcClientIT.CLIENT_ID);
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest tokenRequest) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("nickname", "adamw");
        claims.put("name", "Adam Williamson");
        claims.put("email", "adamw@fedoraproject.org");
        claims.put("groups", List.of("qa", "Packager"));
        claims.putAll(extraClaims);
        return claims;
    }

    @Override
    public long tokenExpiry() {
        return 3600;
    }
}
