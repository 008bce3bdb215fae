package org.fedoraproject.releng.workflow.auth.oidc;

import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.CODE_REJECTED;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.ISSUER_MISMATCH;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.MALFORMED_CALLBACK;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.MISSING_CLAIM;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.PROVIDER_ERROR;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.PROVIDER_UNREACHABLE;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.STATE_MISMATCH;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.TOKEN_ENDPOINT_ERROR;
import static org.fedoraproject.releng.workflow.auth.oidc.LoginFailedException.Reason.USERINFO_FAILED;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.fedoraproject.releng.workflow.config.OidcConfig;

/**
 * Logs users in with an OpenID Connect provider: authorization code flow with S256 PKCE, state and
 * nonce. Thread-safe; one instance per engine.
 *
 * <p>A route uses it in two steps:
 *
 * <pre>{@code
 * // GET /login?next=...
 * LoginStart start = oidc.begin(callbackUri, PendingLogin.safeReturnPath(next));
 * pendingLogins.add(start.pending());
 * redirect(start.authorizationUrl());
 *
 * // GET /login/callback
 * OidcIdentity who = oidc.complete(ctx.queryParamMap(), pendingLogins);  // consumes the state
 * session.put(who.toPrincipal(), who.idToken()); redirect(pending returnTo)
 * }</pre>
 *
 * Every failure in {@code complete} is a {@link LoginFailedException}.
 */
public final class OidcClient {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;

    private final OidcConfig config;
    private final OIDCProviderMetadata provider;
    private final ClientID clientId;
    private final Optional<Secret> secret;
    private final ClientAuthenticationMethod authMethod;
    private final IdTokenVerifier idTokens;
    private final Clock clock;

    OidcClient(
            OidcConfig config,
            OIDCProviderMetadata provider,
            JWKSource<SecurityContext> keys,
            Optional<String> clientSecret,
            Clock clock) {
        this.config = config;
        this.provider = provider;
        this.clientId = new ClientID(config.clientId());
        this.secret = clientSecret.map(Secret::new);
        this.authMethod = chooseAuthMethod(provider.getTokenEndpointAuthMethods(), secret.isPresent());
        this.idTokens = new IdTokenVerifier(
                config.issuer(), config.clientId(), provider.getIDTokenJWSAlgs(), keys, clock, config.clockSkew());
        this.clock = clock;
    }

    /** Discovers the provider with the system clock and the process environment. */
    public static OidcClient discover(OidcConfig config) {
        return discover(config, Clock.systemUTC(), System::getenv);
    }

    public static OidcClient discover(OidcConfig config, Clock clock) {
        return discover(config, clock, System::getenv);
    }

    /**
     * Reads {@code <issuer>/.well-known/openid-configuration}, whose issuer must equal the configured
     * one, and prepares the provider's JWKS (fetched on first use, cached, refreshed on rotation).
     *
     * @throws OidcSetupException when discovery fails or the provider's document does not fit
     * @throws IllegalArgumentException when the configuration is invalid
     */
    public static OidcClient discover(OidcConfig config, Clock clock, Function<String, String> environment) {
        config.validate();
        return create(config, fetchMetadata(config.issuer()), clock, environment);
    }

    /** From an already fetched provider document: a seam for tests that redirect one endpoint. */
    static OidcClient create(
            OidcConfig config, OIDCProviderMetadata metadata, Clock clock, Function<String, String> environment) {
        Optional<String> secret = config.clientSecret(environment);
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(
                        toUrl(metadata.getJWKSetURI()),
                        new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, 512 * 1024))
                .build();
        return new OidcClient(config, metadata, keys, secret, clock);
    }

    static OIDCProviderMetadata fetchMetadata(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI url = URI.create(base + "/.well-known/openid-configuration");
        HTTPResponse response;
        try {
            HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, url);
            request.setConnectTimeout(CONNECT_TIMEOUT_MS);
            request.setReadTimeout(READ_TIMEOUT_MS);
            response = request.send();
        } catch (IOException e) {
            throw new OidcSetupException("OIDC discovery: cannot reach " + url + ": " + e.getMessage(), e);
        }
        if (response.getStatusCode() != 200) {
            throw new OidcSetupException("OIDC discovery: " + url + " answered HTTP " + response.getStatusCode()
                    + "; check auth.oidc.issuer");
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
        } catch (ParseException e) {
            throw new OidcSetupException(
                    "OIDC discovery: " + url + " is not a provider document: " + e.getMessage(), e);
        }
        if (!new Issuer(issuer).equals(metadata.getIssuer())) {
            throw new OidcSetupException("OIDC discovery: the provider at "
                    + url
                    + " says its issuer is `"
                    + metadata.getIssuer()
                    + "`, but auth.oidc.issuer is `"
                    + issuer
                    + "`; they must be equal");
        }
        if (metadata.getJWKSetURI() == null || metadata.getTokenEndpointURI() == null) {
            throw new OidcSetupException("OIDC discovery: " + url + " names no jwks_uri or token_endpoint");
        }
        return metadata;
    }

    /** {@link #begin(URI, String)} returning to {@code /}. */
    public LoginStart begin(URI redirectUri) {
        return begin(redirectUri, "/");
    }

    /**
     * Starts a login: fresh state, nonce and PKCE verifier, and the URL to send the browser to.
     *
     * @param redirectUri the callback URL registered with the provider ({@code .../login/callback})
     * @param returnTo where to go after login; made safe with {@link PendingLogin#safeReturnPath}
     */
    public LoginStart begin(URI redirectUri, String returnTo) {
        return begin(redirectUri, returnTo, new State().getValue());
    }

    /**
     * {@link #begin(URI, String)} with a state chosen by the caller, such as a {@link
     * BrowserBinding}'s, which ties the callback to the browser that started the login.
     */
    public LoginStart begin(URI redirectUri, String returnTo, String stateValue) {
        State state = new State(stateValue);
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        URI url = new AuthenticationRequest.Builder(
                        new ResponseType(ResponseType.Value.CODE),
                        new Scope(config.scopes().toArray(String[]::new)),
                        clientId,
                        redirectUri)
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        PendingLogin pending = new PendingLogin(
                state.getValue(),
                nonce.getValue(),
                verifier.getValue(),
                redirectUri,
                clock.instant(),
                PendingLogin.safeReturnPath(returnTo));
        return new LoginStart(url, pending);
    }

    /**
     * Completes a login from the callback's query parameters, consuming its state from the store
     * first (so each state works once).
     */
    public OidcIdentity complete(Map<String, List<String>> callbackParams, PendingLogins pendingLogins) {
        List<String> state = callbackParams.get("state");
        PendingLogin pending = pendingLogins.take(state == null || state.isEmpty() ? null : state.get(0));
        return complete(callbackParams, pending);
    }

    /** Completes a login from the full callback URL the browser arrived at. */
    public OidcIdentity complete(URI callbackUri, PendingLogin pending) {
        try {
            return handle(AuthenticationResponseParser.parse(callbackUri), pending);
        } catch (ParseException e) {
            throw malformed(e);
        }
    }

    /**
     * Completes a login from the callback's query parameters (Javalin's {@code ctx.queryParamMap()})
     * and the pending login the route kept. The route must make sure {@code pending} is used once
     * (e.g. remove it from the session before calling).
     */
    public OidcIdentity complete(Map<String, List<String>> callbackParams, PendingLogin pending) {
        try {
            URI redirectUri = pending == null ? URI.create("/") : pending.redirectUri();
            return handle(AuthenticationResponseParser.parse(redirectUri, callbackParams), pending);
        } catch (ParseException e) {
            throw malformed(e);
        }
    }

    private OidcIdentity handle(AuthenticationResponse response, PendingLogin pending) {
        if (pending == null) {
            throw new LoginFailedException(
                    LoginFailedException.Reason.UNKNOWN_STATE,
                    "No login was started in this browser (or it was already used). Start again from the login link.");
        }
        if (response.getState() == null || !response.getState().getValue().equals(pending.state())) {
            throw new LoginFailedException(
                    STATE_MISMATCH,
                    "The login callback does not belong to the login started in this browser. Start again from the login link.");
        }
        if (!clock.instant().isBefore(pending.createdAt().plus(PendingLogins.DEFAULT_TTL))) {
            throw PendingLogins.expired(PendingLogins.DEFAULT_TTL);
        }
        if (response instanceof AuthenticationErrorResponse error) {
            ErrorObject e = error.getErrorObject();
            throw new LoginFailedException(
                    PROVIDER_ERROR,
                    "The login provider refused the login: "
                            + e.getCode()
                            + (e.getDescription() == null ? "" : " (" + e.getDescription() + ")")
                            + ". Start again from the login link, or ask an administrator.");
        }
        AuthenticationSuccessResponse success = (AuthenticationSuccessResponse) response;
        if (success.getIssuer() != null && !success.getIssuer().getValue().equals(config.issuer())) {
            throw new LoginFailedException(
                    ISSUER_MISMATCH,
                    "The login callback names another provider (`" + success.getIssuer() + "`); refused.");
        }
        AuthorizationCode code = success.getAuthorizationCode();
        if (code == null) {
            throw new LoginFailedException(
                    MALFORMED_CALLBACK, "The login callback carries no code. Start again from the login link.");
        }
        OIDCTokenResponse tokens = exchange(code, pending);
        String idToken = tokens.getOIDCTokens().getIDTokenString();
        JWTClaimsSet idClaims = verifyIdToken(idToken, pending.nonce());
        Map<String, Object> claims = new HashMap<>(idClaims.getClaims());
        if (config.fetchUserInfo() && provider.getUserInfoEndpointURI() != null) {
            claims.putAll(userInfo(tokens.getOIDCTokens().getAccessToken(), idClaims.getSubject()));
        }
        return identity(idClaims.getSubject(), claims, idToken);
    }

    /** The ID token check alone: a narrow seam so tests can present tokens the provider would not. */
    JWTClaimsSet verifyIdToken(String idToken, String expectedNonce) {
        return idTokens.verify(idToken, expectedNonce);
    }

    private OIDCTokenResponse exchange(AuthorizationCode code, PendingLogin pending) {
        AuthorizationCodeGrant grant =
                new AuthorizationCodeGrant(code, pending.redirectUri(), new CodeVerifier(pending.codeVerifier()));
        URI endpoint = provider.getTokenEndpointURI();
        TokenRequest request;
        if (ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(authMethod)) {
            request = new TokenRequest.Builder(endpoint, new ClientSecretPost(clientId, secret.orElseThrow()), grant)
                    .build();
        } else if (ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(authMethod)) {
            request = new TokenRequest.Builder(endpoint, new ClientSecretBasic(clientId, secret.orElseThrow()), grant)
                    .build();
        } else {
            request = new TokenRequest.Builder(endpoint, clientId, grant).build();
        }
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(send(request.toHTTPRequest()));
        } catch (ParseException e) {
            throw new LoginFailedException(
                    TOKEN_ENDPOINT_ERROR, "The login provider's token answer could not be read.", e);
        }
        if (response instanceof TokenErrorResponse error) {
            ErrorObject e = error.getErrorObject();
            if (OAuth2Error.INVALID_GRANT.getCode().equals(e.getCode())) {
                throw new LoginFailedException(
                        CODE_REJECTED,
                        "The login code was refused (already used or expired). Start again from the login link.");
            }
            throw new LoginFailedException(
                    TOKEN_ENDPOINT_ERROR,
                    "The login provider refused this engine's token request: "
                            + e.getCode()
                            + (e.getDescription() == null ? "" : " (" + e.getDescription() + ")")
                            + ". An administrator should check auth.oidc.clientId and the client secret.");
        }
        if (!(response instanceof OIDCTokenResponse oidc)) {
            throw new LoginFailedException(
                    LoginFailedException.Reason.ID_TOKEN_MALFORMED,
                    "The login provider returned no ID token; check that auth.oidc.scopes includes openid.");
        }
        return oidc;
    }

    private Map<String, Object> userInfo(AccessToken accessToken, String subject) {
        UserInfoResponse response;
        try {
            response = UserInfoResponse.parse(
                    send(new UserInfoRequest(provider.getUserInfoEndpointURI(), accessToken).toHTTPRequest()));
        } catch (ParseException e) {
            throw new LoginFailedException(
                    USERINFO_FAILED, "The login provider's userinfo answer could not be read.", e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject e = response.toErrorResponse().getErrorObject();
            throw new LoginFailedException(
                    USERINFO_FAILED,
                    "The login provider's userinfo endpoint refused: " + e.getCode() + ". Try again later.");
        }
        UserInfo info = response.toSuccessResponse().getUserInfo();
        if (info == null) {
            throw new LoginFailedException(
                    USERINFO_FAILED,
                    "The provider answers userinfo as a JWT, which is not supported; set auth.oidc.userInfo: false.");
        }
        // OIDC Core 5.3.2: a userinfo response for another subject must not be used.
        if (!subject.equals(info.getSubject().getValue())) {
            throw new LoginFailedException(USERINFO_FAILED, "The provider's userinfo is about another user; refused.");
        }
        return info.toJSONObject();
    }

    private OidcIdentity identity(String subject, Map<String, Object> claims, String idToken) {
        Object username = claims.get(config.usernameClaim());
        if (!(username instanceof String name) || name.isBlank()) {
            throw new LoginFailedException(
                    MISSING_CLAIM,
                    "The login provider sent no `"
                            + config.usernameClaim()
                            + "` claim, so the engine cannot tell who you are. An administrator should check"
                            + " auth.oidc.usernameClaim and auth.oidc.scopes.");
        }
        return new OidcIdentity(
                subject,
                name,
                stringClaim(claims, config.nameClaim()),
                stringClaim(claims, config.emailClaim()),
                groups(claims.get(config.groupsClaim())),
                idToken);
    }

    private static String stringClaim(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String value ? value : null;
    }

    /** A JSON array of names; some providers send one string instead. */
    private static Set<String> groups(Object value) {
        Set<String> groups = new LinkedHashSet<>();
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                if (item instanceof String group && !group.isBlank()) {
                    groups.add(group);
                }
            }
        } else if (value instanceof String text) {
            for (String group : text.split("[\\s,]+")) {
                if (!group.isBlank()) {
                    groups.add(group);
                }
            }
        }
        return groups;
    }

    /**
     * The provider's logout URL (RP-initiated logout) with the ID token as hint and where to come
     * back, or empty when the provider offers no end_session_endpoint (then only the local session
     * ends).
     */
    public Optional<URI> logoutUrl(String idTokenHint, URI postLogoutRedirectUri) {
        URI endpoint = provider.getEndSessionEndpointURI();
        if (endpoint == null) {
            return Optional.empty();
        }
        JWT hint = null;
        if (idTokenHint != null) {
            try {
                hint = JWTParser.parse(idTokenHint);
            } catch (java.text.ParseException e) {
                hint = null;
            }
        }
        return Optional.of(
                new LogoutRequest(endpoint, hint, null, clientId, postLogoutRedirectUri, null, null).toURI());
    }

    public String issuer() {
        return config.issuer();
    }

    private static HTTPResponse send(HTTPRequest request) {
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        try {
            return request.send();
        } catch (IOException e) {
            throw new LoginFailedException(
                    PROVIDER_UNREACHABLE, "The login provider cannot be reached right now. Try again in a minute.", e);
        }
    }

    /** The provider's preference among what we can do; client_secret_basic is the spec's default. */
    private static ClientAuthenticationMethod chooseAuthMethod(
            List<ClientAuthenticationMethod> supported, boolean haveSecret) {
        if (!haveSecret) {
            return ClientAuthenticationMethod.NONE;
        }
        List<ClientAuthenticationMethod> offered = supported == null || supported.isEmpty()
                ? List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                : supported;
        if (offered.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
            return ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
        }
        if (offered.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            return ClientAuthenticationMethod.CLIENT_SECRET_POST;
        }
        throw new OidcSetupException("the provider accepts client authentication only by " + offered
                + "; the engine supports client_secret_basic and client_secret_post");
    }

    private static LoginFailedException malformed(ParseException e) {
        return new LoginFailedException(
                MALFORMED_CALLBACK, "The login callback is incomplete or garbled. Start again from the login link.", e);
    }

    private static URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new OidcSetupException("OIDC discovery: jwks_uri `" + uri + "` is not a URL", e);
        }
    }
}
