package org.fedoraproject.releng.workflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcConfigTest {

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void designDocumentKeysParseAndTheRestDefault() throws Exception {
        OidcConfig config = yaml.readValue("""
                        issuer: "https://id.fedoraproject.org/openidc"
                        clientId: releng-workflow-engine
                        clientSecretFile: /etc/releng/oidc-secret
                        scopes: [openid, profile, email, "https://id.fedoraproject.org/scope/groups"]
                        groupsClaim: groups
                        usernameClaim: nickname
                        """, OidcConfig.class);

        assertThat(config.issuer()).isEqualTo("https://id.fedoraproject.org/openidc");
        assertThat(config.clientSecretFile()).isEqualTo(Path.of("/etc/releng/oidc-secret"));
        assertThat(config.scopes()).isEqualTo(OidcConfig.DEFAULT_SCOPES);
        assertThat(config.nameClaim()).isEqualTo("name");
        assertThat(config.emailClaim()).isEqualTo("email");
        assertThat(config.fetchUserInfo()).isTrue();
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        config.validate();
    }

    @Test
    void addedKeysParseIncludingShortDurations() throws Exception {
        OidcConfig config = yaml.readValue(
                "{issuer: 'https://id.example.org', clientId: x, clientSecretEnv: OIDC_SECRET,"
                        + " nameClaim: cn, emailClaim: mail, userInfo: false, clockSkew: 2m}",
                OidcConfig.class);

        assertThat(config.clientSecret(Map.of("OIDC_SECRET", "s3cret\n")::get)).contains("s3cret");
        assertThat(config.fetchUserInfo()).isFalse();
        assertThat(config.clockSkew()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.nameClaim()).isEqualTo("cn");
        assertThat(config.scopes()).isEqualTo(OidcConfig.DEFAULT_SCOPES);
    }

    @Test
    void clientSecretIsReadFromItsFileWithoutTheTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "s3cret\n");
        OidcConfig config =
                new OidcConfig("https://id.example.org", "x", file, null, null, null, null, null, null, null, null);

        assertThat(config.clientSecret(name -> null)).contains("s3cret");
    }

    @Test
    void invalidSettingsNameTheKeyToFix() {
        assertThatThrownBy(() -> OidcConfig.of(null, "x").validate())
                .hasMessageContaining("auth.oidc.issuer is required");
        assertThatThrownBy(() -> OidcConfig.of("https://id.example.org", " ").validate())
                .hasMessageContaining("auth.oidc.clientId is required");
        assertThatThrownBy(() -> new OidcConfig(
                                "https://id.example.org",
                                "x",
                                null,
                                null,
                                List.of("profile"),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null)
                        .validate())
                .hasMessageContaining("auth.oidc.scopes must include openid");
        assertThatThrownBy(() -> new OidcConfig(
                                "https://id.example.org", "x", null, "NOPE", null, null, null, null, null, null, null)
                        .clientSecret(name -> null))
                .hasMessageContaining("environment variable NOPE is not set");
    }
}
