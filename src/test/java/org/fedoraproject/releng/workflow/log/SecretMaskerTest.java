package org.fedoraproject.releng.workflow.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    @Test
    void masksEveryOccurrenceOnALine() {
        SecretMasker m = new SecretMasker(List.of("hunter2"));
        assertThat(m.feed("a hunter2 b hunter2\n")).isEqualTo("a **** b ****\n");
    }

    @Test
    void holdsAnUnfinishedLineUntilItEnds() {
        SecretMasker m = new SecretMasker(List.of("hunter2"));
        assertThat(m.feed("token: hun")).isEmpty();
        assertThat(m.feed("ter2 done\nnext")).isEqualTo("token: **** done\n");
        assertThat(m.finish()).isEqualTo("next");
    }

    @Test
    void masksTheJsonEscapedFormAnsiblePrints() {
        SecretMasker m = new SecretMasker(List.of("pa\"ss\\word"));
        assertThat(m.feed("\"msg\": \"pa\\\"ss\\\\word\"\n")).isEqualTo("\"msg\": \"****\"\n");
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        SecretMasker m = new SecretMasker(List.of("-----BEGIN KEY-----\nMIIBsecretbody\n-----END KEY-----"));
        assertThat(m.feed("MIIBsecretbody\n")).isEqualTo("****\n");
        assertThat(m.feed("{\"k\": \"-----BEGIN KEY-----\\nMIIBsecretbody\\n-----END KEY-----\"}\n")).isEqualTo("{\"k\": \"****\"}\n");
    }

    @Test
    void longLineIsReleasedInPartsWithoutSplittingASecret() {
        String secret = "S".repeat(10) + "ecret";
        SecretMasker m = new SecretMasker(List.of(secret));
        String filler = "x".repeat(SecretMasker.MAX_HELD);
        StringBuilder out = new StringBuilder();
        out.append(m.feed(filler + secret.substring(0, 7)));
        out.append(m.feed(secret.substring(7) + filler));
        out.append(m.finish());

        assertThat(out.toString()).doesNotContain(secret).isEqualTo(filler + "****" + filler);
    }

    @Test
    void longerSecretWinsOverAShorterOneInsideIt() {
        SecretMasker m = new SecretMasker(List.of("abc", "xxabcxx"));
        assertThat(m.feed("xxabcxx abc\n")).isEqualTo("**** ****\n");
    }

    @Test
    void withoutSecretsTextPassesUnchanged() {
        SecretMasker m = new SecretMasker(List.of());
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.feed("plain ****\n")).isEqualTo("plain ****\n");
    }
}
