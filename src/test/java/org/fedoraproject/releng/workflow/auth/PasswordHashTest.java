package org.fedoraproject.releng.workflow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void hashIsSelfDescribingAndVerifiesOnlyTheSamePassword() {
        String hash = PasswordHash.hash("s3cret pass".toCharArray());

        assertThat(hash).matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
        assertThat(PasswordHash.verify(hash, "s3cret pass".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(hash, "s3cret pasS".toCharArray())).isFalse();
        assertThat(PasswordHash.hash("s3cret pass".toCharArray())).as("salted").isNotEqualTo(hash);
    }

    @Test
    void somethingElseInTheConfigurationIsRefusedWithTheCommandThatMakesAHash() {
        assertThatThrownBy(() -> PasswordHash.check("$2y$10$bcrypt")).hasMessageContaining("--hash-password");
    }
}
