package org.fedoraproject.releng.workflow.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason;
import org.fedoraproject.releng.workflow.config.OidcConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Logs in against mock-oauth2-server, which speaks the real protocol (discovery, JWKS,
 * authorization and token endpoints, userinfo) on a loopback port. Tampered tokens come from the
 * provider itself where it can be made to sign them; the rest are built here and handed to the ID
 * token check through {@link OidcClient#verifyIdToken}, still against the provider's own JWKS.
 */
class OidcClientIT {

    static final String CLIENT_ID = "releng-workflow-engine";
    private static final URI CALLBACK = URI.create("http://127.0.0.1:8080/login/callback");

    /** The provider signs with this key, so tests can also sign "provider" tokens by hand. */
    private static RSAKey providerKey;
    /** Null means the provider's clock is the real one. */
    private static final AtomicReference<Instant> providerTime = new AtomicReference<>();

    private static final ScriptedUser user = new ScriptedUser();
    private static MockOAuth2Server provider;
    private static String issuer;

    private final HttpClient browser =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private OidcClient oidc;
    private InMemoryPendingLogins pendingLogins;

    @BeforeAll
    static void startProvider() throws Exception {
        providerKey = new RSAKeyGenerator(2048).keyID("default").generate();
        OAuth2TokenProvider tokens = new OAuth2TokenProvider(new KeyProvider(List.of(providerKey)), providerTime::get);
        provider = new MockOAuth2Server(new OAuth2Config(false, null, null, false, tokens, java.util.Set.of(user)));
        provider.start(InetAddress.getLoopbackAddress(), 0);
        issuer = provider.issuerUrl("default").toString();
    }

    @AfterAll
    static void stopProvider() {
        provider.shutdown();
    }

    @BeforeEach
    void freshClient() {
        user.reset();
        providerTime.set(null);
        oidc = client(Clock.systemUTC());
        pendingLogins = new InMemoryPendingLogins(Clock.systemUTC());
    }

    private static final Function<String, String> SECRETS = name -> name.equals("RELENG_OIDC_SECRET") ? "s3cret" : null;

    private static OidcConfig config() {
        return new OidcConfig(issuer, CLIENT_ID, null, "RELENG_OIDC_SECRET", null, null, null, null, null, null, null);
    }

    private static OidcClient client(Clock clock) {
        return OidcClient.discover(config(), clock, SECRETS);
    }

    /** What a browser does: follow the authorization URL and stop at the redirect back to us. */
    private URI authorize(URI authorizationUrl) throws Exception {
        HttpResponse<String> response = browser.send(
                HttpRequest.newBuilder(authorizationUrl).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("provider redirects back: %s", response.body())
                .isEqualTo(302);
        URI callback = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(callback.toString()).startsWith(CALLBACK.toString());
        return callback;
    }

    private static Map<String, List<String>> query(URI callback) {
        return URLUtils.parseParameters(callback.getRawQuery());
    }

    private static void assertFails(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        LoginFailedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .message()
                .isNotBlank();
    }

    @Test
    void userLogsInAndComesBackWithNicknameNameEmailAndGroups() throws Exception {
        LoginStart start = oidc.begin(CALLBACK, "/workflows/compose-nightly");
        pendingLogins.add(start.pending());
        assertThat(start.authorizationUrl().toString())
                .startsWith(issuer)
                .contains("response_type=code", "code_challenge_method=S256", "nonce=", "state=", "scope=openid");

        URI callback = authorize(start.authorizationUrl());
        OidcIdentity who = oidc.complete(query(callback), pendingLogins);

        assertThat(who.username()).isEqualTo("adamw");
        assertThat(who.fullName()).isEqualTo("Adam Williamson");
        assertThat(who.email()).isEqualTo("adamw@fedoraproject.org");
        assertThat(who.groups()).containsExactlyInAnyOrder("qa", "packager");
        assertThat(who.subject()).isEqualTo(ScriptedUser.SUBJECT);
        assertThat(who.idToken()).isNotBlank();
        assertThat(who.toPrincipal().inGroup("QA")).isTrue();
        assertThat(start.pending().returnTo()).isEqualTo("/workflows/compose-nightly");
        assertThat(pendingLogins.size()).isZero();
    }

    @Test
    void callbackWithAStateThisEngineNeverIssuedIsRejected() throws Exception {
        LoginStart start = oidc.begin(CALLBACK);
        pendingLogins.add(start.pending());
        URI callback = authorize(start.authorizationUrl());
        String forged = callback.toString().replace("state=" + start.pending().state(), "state=forged");

        assertFails(() -> oidc.complete(query(URI.create(forged)), pendingLogins), Reason.UNKNOWN_STATE);
    }

    @Test
    void callbackCheckedAgainstAnotherLoginsPendingStateIsRejected() throws Exception {
        LoginStart mine = oidc.begin(CALLBACK);
        LoginStart victims = oidc.begin(CALLBACK);
        URI callback = authorize(mine.authorizationUrl());

        assertFails(() -> oidc.complete(callback, victims.pending()), Reason.STATE_MISMATCH);
    }

    @Test
    void callbackWhoseStateWasAlreadyUsedIsRejected() throws Exception {
        LoginStart start = oidc.begin(CALLBACK);
        pendingLogins.add(start.pending());
        URI callback = authorize(start.authorizationUrl());
        oidc.complete(query(callback), pendingLogins);

        assertFails(() -> oidc.complete(query(callback), pendingLogins), Reason.STATE_REUSED);
    }

    @Test
    void idTokenCarryingAnotherLoginsNonceIsRejected() throws Exception {
        LoginStart start = oidc.begin(CALLBACK);
        URI injected = URI.create(start.authorizationUrl()
                .toString()
                .replace("nonce=" + start.pending().nonce(), "nonce=attackers-nonce"));
        URI callback = authorize(injected);

        assertFails(() -> oidc.complete(callback, start.pending()), Reason.NONCE_MISMATCH);
    }

    @Test
    void expiredIdTokenIsRejected() throws Exception {
        providerTime.set(Instant.now().minus(Duration.ofHours(2)));
        LoginStart start = oidc.begin(CALLBACK);
        URI callback = authorize(start.authorizationUrl());

        assertFails(() -> oidc.complete(callback, start.pending()), Reason.ID_TOKEN_EXPIRED);
    }

    @Test
    void idTokenFromAnotherIssuerIsRejected() throws Exception {
        user.override(Map.of("iss", "https://id.example.org/openidc"));
        LoginStart start = oidc.begin(CALLBACK);
        URI callback = authorize(start.authorizationUrl());

        assertFails(() -> oidc.complete(callback, start.pending()), Reason.ID_TOKEN_ISSUER);
    }

    @Test
    void idTokenIssuedToAnotherClientIsRejected() throws Exception {
        user.override(Map.of("aud", List.of("some-other-app")));
        LoginStart start = oidc.begin(CALLBACK);
        URI callback = authorize(start.authorizationUrl());

        assertFails(() -> oidc.complete(callback, start.pending()), Reason.ID_TOKEN_AUDIENCE);
    }

    /**
     * mock-oauth2-server 2.1.10 honours a used code a second time, minting a token without the
     * login's nonce; the nonce check is what keeps the replay out.
     */
    @Test
    void replayedAuthorizationCodeIsRejectedEvenWhenTheProviderHonoursItAgain() throws Exception {
        LoginStart start = oidc.begin(CALLBACK);
        URI callback = authorize(start.authorizationUrl());
        oidc.complete(callback, start.pending());

        assertFails(() -> oidc.complete(callback, start.pending()), Reason.NONCE_MISMATCH);
    }

    /**
     * What a strict provider (Fedora's Ipsilon) answers to a replayed code: invalid_grant. A tiny
     * token endpoint in front of the real one refuses a code's second use; discovery, JWKS and
     * the first exchange stay the real provider's.
     */
    @Test
    void replayedAuthorizationCodeRefusedByTheProviderIsReportedAsAlreadyUsed() throws Exception {
        try (StrictTokenEndpoint strict =
                new StrictTokenEndpoint(provider.tokenEndpointUrl("default").uri())) {
            OIDCProviderMetadata metadata = OidcClient.fetchMetadata(issuer);
            metadata.setTokenEndpointURI(strict.uri());
            OidcClient strictClient = OidcClient.create(config(), metadata, Clock.systemUTC(), SECRETS);
            LoginStart start = strictClient.begin(CALLBACK);
            URI callback = authorize(start.authorizationUrl());
            assertThat(strictClient.complete(callback, start.pending()).username())
                    .isEqualTo("adamw");

            assertFails(() -> strictClient.complete(callback, start.pending()), Reason.CODE_REJECTED);
        }
    }

    @Test
    void loginThatTookLongerThanTenMinutesIsRejected() throws Exception {
        LoginStart start = oidc.begin(CALLBACK);
        URI callback = authorize(start.authorizationUrl());
        OidcClient later = client(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11)));

        assertFails(() -> later.complete(callback, start.pending()), Reason.LOGIN_EXPIRED);
    }

    @Test
    void providerRefusalIsReportedWithItsErrorCode() {
        LoginStart start = oidc.begin(CALLBACK);
        URI callback = URI.create(CALLBACK + "?error=access_denied&error_description=User+cancelled&state="
                + start.pending().state());

        assertThatThrownBy(() -> oidc.complete(callback, start.pending()))
                .isInstanceOfSatisfying(
                        LoginFailedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_ERROR))
                .hasMessageContaining("access_denied (User cancelled)");
    }

    // The provider will not sign these; they are built here and checked against its real JWKS.

    private JWTClaimsSet.Builder validClaims(String nonce) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(CLIENT_ID)
                .subject(ScriptedUser.SUBJECT)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("nonce", nonce)
                .claim("nickname", "adamw");
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void idTokenSignedWithTheProvidersKeyPassesTheCheckSoTheTamperedOnesBelowFailForTheirFlaw() throws Exception {
        String token = sign(validClaims("n-1").build(), providerKey);

        assertThat(oidc.verifyIdToken(token, "n-1").getSubject()).isEqualTo(ScriptedUser.SUBJECT);
    }

    @Test
    void unsignedIdTokenIsRejected() {
        String token = new PlainJWT(validClaims("n-1").build()).serialize();

        assertFails(() -> oidc.verifyIdToken(token, "n-1"), Reason.ID_TOKEN_UNSIGNED);
    }

    @Test
    void idTokenSignedByAForeignKeyUnderTheProvidersKeyIdIsRejected() throws Exception {
        RSAKey impostor =
                new RSAKeyGenerator(2048).keyID(providerKey.getKeyID()).generate();
        String token = sign(validClaims("n-1").build(), impostor);

        assertFails(() -> oidc.verifyIdToken(token, "n-1"), Reason.ID_TOKEN_SIGNATURE);
    }

    @Test
    void idTokenSignedByAKeyTheProviderDoesNotPublishIsRejected() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        String token = sign(validClaims("n-1").build(), stranger);

        assertFails(() -> oidc.verifyIdToken(token, "n-1"), Reason.ID_TOKEN_SIGNATURE);
    }

    @Test
    void idTokenDatedInTheFutureBeyondTheClockSkewIsRejected() throws Exception {
        Instant future = Instant.now().plus(Duration.ofMinutes(10));
        String token = sign(
                validClaims("n-1")
                        .issueTime(Date.from(future))
                        .expirationTime(Date.from(future.plusSeconds(300)))
                        .build(),
                providerKey);

        assertFails(() -> oidc.verifyIdToken(token, "n-1"), Reason.ID_TOKEN_NOT_YET_VALID);
    }

    @Test
    void idTokenJustExpiredIsAcceptedWithinTheClockSkew() throws Exception {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        OidcClient at = client(Clock.fixed(now, ZoneOffset.UTC));
        String token = sign(
                validClaims("n-1")
                        .issueTime(Date.from(now.minusSeconds(600)))
                        .expirationTime(Date.from(now.minusSeconds(30)))
                        .build(),
                providerKey);

        assertThat(at.verifyIdToken(token, "n-1").getSubject()).isEqualTo(ScriptedUser.SUBJECT);
        OidcClient tooLate = client(Clock.fixed(now.plusSeconds(31), ZoneOffset.UTC));
        assertFails(() -> tooLate.verifyIdToken(token, "n-1"), Reason.ID_TOKEN_EXPIRED);
    }

    @Test
    void logoutUrlPointsAtTheProvidersEndSessionEndpointWithTheIdTokenAsHint() throws Exception {
        String idToken = sign(validClaims("n-1").build(), providerKey);

        URI logout =
                oidc.logoutUrl(idToken, URI.create("http://127.0.0.1:8080/")).orElseThrow();

        assertThat(logout.toString())
                .startsWith(provider.endSessionEndpointUrl("default").toString())
                .contains("id_token_hint=" + idToken, "post_logout_redirect_uri=", "client_id=" + CLIENT_ID);
    }

    @Test
    void discoveryRefusesAProviderDocumentThatNamesAnotherIssuer() throws Exception {
        String document = "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                + "\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + issuer + "/jwks\","
                + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
        try (CannedEndpoint impostor = new CannedEndpoint(200, document)) {
            String configured = impostor.uri("/default").toString();

            assertThatThrownBy(() -> OidcClient.discover(OidcConfig.of(configured, CLIENT_ID)))
                    .isInstanceOf(OidcSetupException.class)
                    .hasMessageContaining("says its issuer is `" + issuer + "`")
                    .hasMessageContaining("auth.oidc.issuer is `" + configured + "`");
        }
    }

    private OidcClient withUserInfoAt(URI endpoint, boolean fetch) {
        OIDCProviderMetadata metadata = OidcClient.fetchMetadata(issuer);
        metadata.setUserInfoEndpointURI(endpoint);
        OidcConfig config = new OidcConfig(
                issuer, CLIENT_ID, null, "RELENG_OIDC_SECRET", null, null, null, null, null, fetch, null);
        return OidcClient.create(config, metadata, Clock.systemUTC(), SECRETS);
    }

    /** Fedora's provider sends groups in userinfo rather than in the ID token. */
    @Test
    void groupsFromUserinfoAreMergedOverTheIdTokensClaims() throws Exception {
        String userinfo = "{\"sub\":\"" + ScriptedUser.SUBJECT + "\",\"groups\":[\"releng\",\"qa\"]}";
        try (CannedEndpoint endpoint = new CannedEndpoint(200, userinfo)) {
            OidcClient client = withUserInfoAt(endpoint.uri("/userinfo"), true);
            LoginStart start = client.begin(CALLBACK);

            OidcIdentity who = client.complete(authorize(start.authorizationUrl()), start.pending());

            assertThat(endpoint.calls()).isEqualTo(1);
            assertThat(who.groups()).containsExactlyInAnyOrder("releng", "qa");
            assertThat(who.username()).as("ID token claims stay").isEqualTo("adamw");
        }
    }

    @Test
    void userinfoIsNotFetchedWhenTurnedOff() throws Exception {
        try (CannedEndpoint endpoint = new CannedEndpoint(500, "{}")) {
            OidcClient client = withUserInfoAt(endpoint.uri("/userinfo"), false);
            LoginStart start = client.begin(CALLBACK);

            OidcIdentity who = client.complete(authorize(start.authorizationUrl()), start.pending());

            assertThat(endpoint.calls()).isZero();
            assertThat(who.groups()).containsExactlyInAnyOrder("qa", "packager");
        }
    }

    @Test
    void userinfoAboutAnotherSubjectIsRejected() throws Exception {
        try (CannedEndpoint endpoint = new CannedEndpoint(200, "{\"sub\":\"someone-else\",\"groups\":[\"releng\"]}")) {
            OidcClient client = withUserInfoAt(endpoint.uri("/userinfo"), true);
            LoginStart start = client.begin(CALLBACK);
            URI callback = authorize(start.authorizationUrl());

            assertFails(() -> client.complete(callback, start.pending()), Reason.USERINFO_FAILED);
        }
    }

    @Test
    void loginWithoutTheUsernameClaimTellsTheAdminWhichSettingToCheck() throws Exception {
        OidcConfig config = new OidcConfig(
                issuer, CLIENT_ID, null, "RELENG_OIDC_SECRET", null, null, "fas_username", null, null, null, null);
        OidcClient client = OidcClient.discover(config, Clock.systemUTC(), SECRETS);
        LoginStart start = client.begin(CALLBACK);
        URI callback = authorize(start.authorizationUrl());

        assertThatThrownBy(() -> client.complete(callback, start.pending()))
                .isInstanceOfSatisfying(
                        LoginFailedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM))
                .hasMessageContaining("`fas_username`")
                .hasMessageContaining("auth.oidc.usernameClaim");
    }

    @Test
    void callbackWithoutAPendingLoginIsRejected() {
        assertFails(
                () -> oidc.complete(Map.of("code", List.of("c"), "state", List.of("s")), (PendingLogin) null),
                Reason.UNKNOWN_STATE);
    }
}
