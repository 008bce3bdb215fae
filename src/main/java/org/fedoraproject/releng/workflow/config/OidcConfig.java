package org.fedoraproject.releng.workflow.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code auth.oidc} section of the engine configuration.
 *
 * @param issuer the provider's issuer URL; discovery reads {@code <issuer>/.well-known/openid-configuration}
 * @param clientSecretFile a file holding the client secret (trailing whitespace ignored)
 * @param clientSecretEnv or the name of an environment variable holding it; with neither the
 *     engine logs in as a public client (PKCE only)
 * @param userInfo whether to fetch the userinfo endpoint, when the provider has one, and merge its
 *     claims over the ID token's (Fedora's provider sends groups there)
 * @param clockSkew tolerance for exp/iat/nbf; written {@code 60s}, {@code 2m} or ISO-8601
 */
public record OidcConfig(
        String issuer,
        String clientId,
        Path clientSecretFile,
        String clientSecretEnv,
        List<String> scopes,
        String groupsClaim,
        String usernameClaim,
        String nameClaim,
        String emailClaim,
        Boolean userInfo,
        @JsonDeserialize(using = DurationText.class) Duration clockSkew) {

    public static final List<String> DEFAULT_SCOPES =
            List.of("openid", "profile", "email", "https://id.fedoraproject.org/scope/groups");

    public OidcConfig {
        scopes = scopes == null ? DEFAULT_SCOPES : List.copyOf(scopes);
        groupsClaim = orDefault(groupsClaim, "groups");
        usernameClaim = orDefault(usernameClaim, "nickname");
        nameClaim = orDefault(nameClaim, "name");
        emailClaim = orDefault(emailClaim, "email");
        userInfo = userInfo == null ? Boolean.TRUE : userInfo;
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
    }

    /** Every default, for the given provider and client. */
    public static OidcConfig of(String issuer, String clientId) {
        return new OidcConfig(issuer, clientId, null, null, null, null, null, null, null, null, null);
    }

    public boolean fetchUserInfo() {
        return userInfo;
    }

    /**
     * Checks what Jackson cannot, failing with the key to fix.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public void validate() {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException(
                    "auth.oidc.issuer is required, e.g. https://id.fedoraproject.org/openidc");
        }
        if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            throw new IllegalArgumentException("auth.oidc.issuer must be an http(s) URL, got `" + issuer + "`");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("auth.oidc.clientId is required");
        }
        if (clientSecretFile != null && clientSecretEnv != null) {
            throw new IllegalArgumentException("auth.oidc: set clientSecretFile or clientSecretEnv, not both");
        }
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException("auth.oidc.scopes must include openid, got " + scopes);
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("auth.oidc.clockSkew must not be negative");
        }
    }

    /** Reads the client secret from its file or environment variable; empty for a public client. */
    public Optional<String> clientSecret(Function<String, String> environment) {
        return SecretSource.read(
                "auth.oidc.clientSecret",
                clientSecretFile == null ? null : clientSecretFile.toString(),
                clientSecretEnv,
                environment);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Durations as the rest of the configuration writes them: {@code 90s}, {@code 30m}, {@code 6h}. */
    static final class DurationText extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null) {
                return Duration.ofSeconds(parser.getLongValue());
            }
            return parse(text.trim());
        }

        static Duration parse(String text) {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(text));
            }
            if (text.startsWith("P") || text.startsWith("p")) {
                try {
                    return Duration.parse(text);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("`" + text + "` is not an ISO-8601 duration");
                }
            }
            return Durations.parse(text);
        }
    }
}
