package org.fedoraproject.releng.workflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealerTest {

    @TempDir
    Path dir;

    @Test
    void sealedSecretsOpenToTheSameValues() {
        SecretSealer sealer = SecretSealer.fromKeyFile(dir.resolve("secrets.key"));
        Map<String, String> secrets = Map.of("koji_token", "s3cr\"et ünïcode", "empty", "");

        String sealed = sealer.seal(secrets);

        assertThat(sealed).doesNotContain("s3cr").doesNotContain("koji_token");
        assertThat(sealer.open(sealed)).isEqualTo(secrets);
        assertThat(sealer.seal(secrets)).as("a fresh IV each time").isNotEqualTo(sealed);
    }

    @Test
    void theSameKeyFileOpensWhatAnotherInstanceSealed() {
        Path key = dir.resolve("secrets.key");
        String sealed = SecretSealer.fromKeyFile(key).seal(Map.of("token", "abc"));

        assertThat(SecretSealer.fromKeyFile(key).open(sealed)).containsExactly(Map.entry("token", "abc"));
    }

    @Test
    void aDifferentKeyCannotOpen() {
        String sealed = SecretSealer.fromKeyFile(dir.resolve("one.key")).seal(Map.of("token", "abc"));
        SecretSealer other = SecretSealer.fromKeyFile(dir.resolve("two.key"));

        assertThatThrownBy(() -> other.open(sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot open sealed secrets");
    }

    @Test
    void tamperedCiphertextIsRejected() {
        SecretSealer sealer = SecretSealer.fromKeyFile(dir.resolve("secrets.key"));
        byte[] bytes = Base64.getDecoder().decode(sealer.seal(Map.of("token", "abc")));
        bytes[bytes.length - 20] ^= 0x01;

        assertThatThrownBy(() -> sealer.open(Base64.getEncoder().encodeToString(bytes)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keyFileIsCreatedReadableByItsOwnerOnly() throws Exception {
        Path key = dir.resolve("nested/dir/secrets.key");

        SecretSealer.fromKeyFile(key);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(key).strip())).hasSize(32);
    }
}
