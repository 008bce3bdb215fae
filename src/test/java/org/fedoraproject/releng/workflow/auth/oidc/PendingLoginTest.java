package org.fedoraproject.releng.workflow.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stores' rules are in {@code auth.AuthStoresContract}, run on H2 and PostgreSQL. */
class PendingLoginTest {

    @Test
    void returnPathStaysOnThisSite() {
        assertThat(PendingLogin.safeReturnPath("/workflows/compose-nightly?x=1"))
                .isEqualTo("/workflows/compose-nightly?x=1");
        assertThat(PendingLogin.safeReturnPath("https://evil.example/")).isEqualTo("/");
        assertThat(PendingLogin.safeReturnPath("//evil.example/")).isEqualTo("/");
        assertThat(PendingLogin.safeReturnPath("/\\evil.example")).isEqualTo("/");
        assertThat(PendingLogin.safeReturnPath(null)).isEqualTo("/");
    }
}
