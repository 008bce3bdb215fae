package org.fedoraproject.releng.workflow.testsupport;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * mock-oauth2-server dressed as Fedora's provider: FAS-like accounts whose ID tokens carry
 * {@code nickname}, {@code name}, {@code email} and {@code groups}. It speaks the real protocol on a
 * loopback port, so the engine logs in through its production code path.
 *
 * <p>Tests pick who logs in next with {@link #logInAs} (the provider then logs in without a form).
 * The demo ({@link DemoOidcProvider}) shows a login page instead, whose buttons post each demo
 * user's claims: mock-oauth2-server makes the typed user name the {@code sub} and merges the
 * posted {@code claims} JSON over what this callback adds.
 */
public final class FedoraLikeProvider implements AutoCloseable {

    public static final String CLIENT_ID = "releng-workflow-engine";
    public static final String SECRET_ENV = "RELENG_TEST_OIDC_SECRET";
    public static final String SECRET = "demo-client-secret";

    /** A FAS-like account. */
    public record User(String name, String fullName, List<String> groups) {

        public Map<String, Object> claims() {
            Map<String, Object> claims = new HashMap<>();
            claims.put("nickname", name);
            claims.put("name", fullName);
            claims.put("email", name + "@fedoraproject.org");
            claims.put("groups", groups);
            return claims;
        }
    }

    private final MockOAuth2Server server;
    private final Accounts accounts = new Accounts();

    private FedoraLikeProvider(
            Supplier<Instant> time, boolean interactive, Path loginPage, InetAddress address, int port)
            throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("default").generate();
        OAuth2TokenProvider tokens = new OAuth2TokenProvider(new KeyProvider(List.of(key)), time::get);
        server = new MockOAuth2Server(new OAuth2Config(
                interactive, loginPage == null ? null : loginPage.toString(), null, false, tokens, Set.of(accounts)));
        server.start(address, port);
    }

    /** For tests: logs in without a form as whoever {@link #logInAs} names; time from {@code time}. */
    public static FedoraLikeProvider start(Supplier<Instant> time) {
        try {
            return new FedoraLikeProvider(time, false, null, InetAddress.getLoopbackAddress(), 0);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start mock-oauth2-server", e);
        }
    }

    /** For the demo: an interactive login page on a fixed loopback port. */
    static FedoraLikeProvider interactive(Path loginPage, int port) throws Exception {
        return new FedoraLikeProvider(Instant::now, true, loginPage, InetAddress.getLoopbackAddress(), port);
    }

    public void logInAs(String name, String... groups) {
        accounts.next =
                new User(name, name.substring(0, 1).toUpperCase() + name.substring(1) + " Tester", List.of(groups));
    }

    public String issuer() {
        return server.issuerUrl("default").toString().replaceAll("/+$", "");
    }

    /** The {@code auth.oidc} section for an engine using this provider, as YAML flow text. */
    public String oidcYaml() {
        return oidcYaml(true);
    }

    /**
     * @param userInfo false when the engine's clock runs ahead of real time: mock-oauth2-server checks
     *     access tokens at its userinfo endpoint against the real clock
     */
    public String oidcYaml(boolean userInfo) {
        return "{issuer: \"" + issuer() + "\", clientId: " + CLIENT_ID + ", clientSecretEnv: " + SECRET_ENV
                + ", scopes: [openid, profile, email], userInfo: " + userInfo + "}";
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** Claims for whoever logs in next; the demo's login page overrides them with the chosen user's. */
    private static final class Accounts implements OAuth2TokenCallback {
        private volatile User next;

        @Override
        public String issuerId() {
            return "default";
        }

        @Override
        public String subject(TokenRequest tokenRequest) {
            User user = next;
            return user == null ? "nobody" : "fas-" + user.name();
        }

        @Override
        public String typeHeader(TokenRequest tokenRequest) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest tokenRequest) {
            return List.of(CLIENT_ID);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest tokenRequest) {
            User user = next;
            return user == null ? new HashMap<>() : user.claims();
        }

        @Override
        public long tokenExpiry() {
            return 3600;
        }
    }
}
