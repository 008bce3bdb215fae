package org.fedoraproject.releng.workflow.auth.oidc;

import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ID_TOKEN_AUDIENCE;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ID_TOKEN_EXPIRED;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ID_TOKEN_ISSUER;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ID_TOKEN_MALFORMED;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ID_TOKEN_NOT_YET_VALID;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ID_TOKEN_SIGNATURE;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ID_TOKEN_UNSIGNED;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.NONCE_MISMATCH;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks an ID token as OpenID Connect Core 3.1.3.7 asks: signed with an asymmetric algorithm the
 * provider advertises by a key from the provider's JWKS; issuer; audience (and azp); exp, iat and
 * nbf against an injected clock with skew; nonce. The signature is checked by Nimbus; the claims
 * here, so each failure gets its own {@link LoginFailedException.Reason} and time comes from the
 * {@link Clock}.
 */
final class IdTokenVerifier {

    /** Symmetric (HS*) tokens would be keyed by the client secret; a provider with a JWKS has no need. */
    private static final Set<JWSAlgorithm> ACCEPTABLE = Set.copyOf(List.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA));

    private final String issuer;
    private final String clientId;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> signatureCheck = new DefaultJWTProcessor<>();
    private final Clock clock;
    private final Duration skew;

    IdTokenVerifier(
            String issuer,
            String clientId,
            List<JWSAlgorithm> advertised,
            JWKSource<SecurityContext> keys,
            Clock clock,
            Duration skew) {
        this.issuer = issuer;
        this.clientId = clientId;
        // RS256 is the algorithm every provider must support when it advertises none.
        List<JWSAlgorithm> offered =
                advertised == null || advertised.isEmpty() ? List.of(JWSAlgorithm.RS256) : advertised;
        this.algorithms =
                Set.copyOf(offered.stream().filter(ACCEPTABLE::contains).toList());
        if (algorithms.isEmpty()) {
            throw new OidcSetupException(
                    "the provider signs ID tokens only with " + offered + "; the engine needs one of " + ACCEPTABLE);
        }
        this.signatureCheck.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        // Claims are checked below, against our clock, with one reason per failure.
        this.signatureCheck.setJWTClaimsSetVerifier((claims, context) -> {});
        this.clock = clock;
        this.skew = skew;
    }

    JWTClaimsSet verify(String idToken, String expectedNonce) {
        if (idToken == null || idToken.isBlank()) {
            throw fail(
                    ID_TOKEN_MALFORMED, "The provider sent no ID token; check that auth.oidc.scopes includes openid.");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(idToken);
        } catch (ParseException e) {
            throw new LoginFailedException(ID_TOKEN_MALFORMED, "The provider's ID token is not a valid JWT.", e);
        }
        if (jwt instanceof PlainJWT || Algorithm.NONE.equals(jwt.getHeader().getAlgorithm())) {
            throw fail(ID_TOKEN_UNSIGNED, "The ID token is not signed (alg none); it was refused.");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw fail(
                    ID_TOKEN_MALFORMED, "The ID token is encrypted; the engine does not support encrypted ID tokens.");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw fail(ID_TOKEN_SIGNATURE, "The ID token is signed with " + alg + ", which is not accepted here.");
        }
        JWTClaimsSet claims;
        try {
            claims = signatureCheck.process(signed, null);
        } catch (BadJOSEException | JOSEException e) {
            throw new LoginFailedException(
                    ID_TOKEN_SIGNATURE,
                    "The ID token's signature does not verify with the provider's published keys; it was refused.",
                    e);
        }
        checkClaims(claims, expectedNonce);
        return claims;
    }

    private void checkClaims(JWTClaimsSet claims, String expectedNonce) {
        if (!issuer.equals(claims.getIssuer())) {
            throw fail(
                    ID_TOKEN_ISSUER,
                    "The ID token was issued by `" + claims.getIssuer() + "`, not the configured provider `" + issuer
                            + "`.");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(clientId)) {
            throw fail(
                    ID_TOKEN_AUDIENCE,
                    "The ID token was issued to " + audience + ", not to this engine (`" + clientId + "`).");
        }
        Object azp = claims.getClaim("azp");
        if ((audience.size() > 1 || azp != null) && !clientId.equals(azp)) {
            throw fail(
                    ID_TOKEN_AUDIENCE,
                    "The ID token's authorized party is `" + azp + "`, not this engine (`" + clientId + "`).");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(skew))) {
            throw fail(
                    ID_TOKEN_EXPIRED,
                    "The ID token expired at " + (exp == null ? "(no exp)" : exp.toInstant())
                            + "; log in again (if this repeats, check this server's clock).");
        }
        Date iat = claims.getIssueTime();
        if (iat == null || iat.toInstant().isAfter(now.plus(skew))) {
            throw fail(
                    ID_TOKEN_NOT_YET_VALID,
                    "The ID token is dated " + (iat == null ? "(no iat)" : iat.toInstant())
                            + ", in the future; check this server's clock.");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            throw fail(
                    ID_TOKEN_NOT_YET_VALID,
                    "The ID token is not valid before " + nbf.toInstant() + "; check this server's clock.");
        }
        Object nonce = claims.getClaim("nonce");
        if (expectedNonce == null || !expectedNonce.equals(nonce)) {
            throw fail(
                    NONCE_MISMATCH,
                    "The ID token does not belong to this login (nonce mismatch). Start again from the login link.");
        }
        if (claims.getSubject() == null) {
            throw fail(ID_TOKEN_MALFORMED, "The ID token has no subject.");
        }
    }

    private static LoginFailedException fail(LoginFailedException.Reason reason, String message) {
        return new LoginFailedException(reason, message);
    }
}
