package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fedoraproject.releng.workflow.log.SecretMasker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anyone who may start a run chooses its secrets' values, up to the 1 MB request body. Masking them
 * must cost memory in proportion to the secret, not to its dozens of spellings (a megabyte of
 * characters to escape once took 550 MB), and time in proportion to the log, whatever the secret
 * and the log repeat.
 */
class HugeSecretsCannotExhaustTheEngineIT {

    private static final String M = SecretMasker.MASK;

    @TempDir
    Path dir;

    @Test
    void aMegabyteSecretFullOfEscapesIsMaskedWithinASmallHeap() throws Exception {
        Path out = dir.resolve("out.txt");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                MaskInSmallHeap.class.getName(),
                out.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the child JVM ended").isTrue();
        assertThat(process.exitValue())
                .as(Files.readString(dir.resolve("child.log")))
                .isZero();
        assertThat(Files.readString(out)).isEqualTo("plain: " + M + "\nlines: " + M + "\n");
    }

    @Test
    void aSecretThatRepeatsOneCharacterCannotMakeMaskingQuadratic() {
        // a candidate per position, each a million characters long: checked one by one, 10^12 steps
        String secret = "a".repeat(1_000_000) + "b";
        String text = "x " + "a".repeat(1_500_000) + "b " + "a".repeat(2_000_000) + " y";
        String masked = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            SecretMasker m = new SecretMasker(List.of(secret));
            StringBuilder sb = new StringBuilder();
            for (int at = 0; at < text.length(); at += 8192) {
                sb.append(m.feed(text.substring(at, Math.min(text.length(), at + 8192))));
            }
            return sb.append(m.finish()).toString();
        });
        assertThat(masked).isEqualTo("x " + "a".repeat(500_000) + M + " " + "a".repeat(2_000_000) + " y");
    }

    /** Run in a JVM of its own with a small heap: masks a megabyte secret, without and with lines. */
    public static final class MaskInSmallHeap {
        public static void main(String[] args) throws IOException {
            String alphabet = "\"\\'/\u00e4\t$ \u0007\u200b\u00a0ab\uD83D";
            StringBuilder result = new StringBuilder();
            for (String kind : List.of("plain", "lines")) {
                String secret = secret(alphabet + ("lines".equals(kind) ? "\n" : ""), new Random(kind.length()));
                SecretMasker m = new SecretMasker(List.of(secret));
                result.append(kind)
                        .append(": ")
                        .append(m.feed(secret))
                        .append(m.finish())
                        .append('\n');
            }
            Files.writeString(Path.of(args[0]), result, StandardCharsets.UTF_8);
        }

        private static String secret(String alphabet, Random random) {
            StringBuilder sb = new StringBuilder(1_000_001);
            while (sb.length() < 1_000_000) {
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                sb.append(c == '\uD83D' ? "\uD83D\uDD11" : String.valueOf(c));
            }
            return sb.toString();
        }
    }
}
