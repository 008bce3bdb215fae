package org.fedoraproject.releng.workflow.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private static final String M = SecretMasker.MASK;
    /** The secret of the spelling tests: quote, backslash, apostrophe, slash, ä, 🔑 (astral), tab. */
    private static final String SPECIAL = "pä\"ss\\wo'rd/\uD83D\uDD11-x\ty";

    @Test
    void masksEveryOccurrenceOnALine() {
        SecretMasker m = new SecretMasker(List.of("hunter2"));
        assertThat(m.feed("a hunter2 b hunter2\n")).isEqualTo("a " + M + " b " + M + "\n");
    }

    @Test
    void holdsBackOnlyTheStartOfASecretUntilTheNextChunkSettlesIt() {
        SecretMasker m = new SecretMasker(List.of("hunter2"));
        assertThat(m.feed("token: hun")).isEqualTo("token: ");
        assertThat(m.feed("ter2 done\nnext hun")).isEqualTo(M + " done\nnext ");
        assertThat(m.feed("gry\n")).isEqualTo("hungry\n");
        assertThat(m.feed("hunter")).isEmpty();
        assertThat(m.finish()).isEqualTo("hunter");
    }

    @Test
    void neverHoldsMoreThanTheLongestSpellingNeeds() {
        String secret = "s3cret-" + "x".repeat(993);
        SecretMasker m = new SecretMasker(List.of(secret));
        long fed = 0;
        long released = 0;
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String chunk = "s3cret-" + "x".repeat(random.nextInt(990));
            fed += chunk.length();
            released += m.feed(chunk).length();
            assertThat(fed - released).isLessThan(secret.length());
        }
    }

    @Test
    void masksTheJsonEscapedFormsWithAndWithoutEnsureAscii() {
        SecretMasker m = new SecretMasker(List.of(SPECIAL));
        assertThat(m.mask("\"token\": \"pä\\\"ss\\\\wo'rd/\uD83D\uDD11-x\\ty\""))
                .isEqualTo("\"token\": \"" + M + "\"");
        assertThat(m.mask("p\\u00e4\\\"ss\\\\wo'rd/\\ud83d\\udd11-x\\ty")).isEqualTo(M);
        assertThat(m.mask("p\\u00E4\\\"ss\\\\wo'rd/\\uD83D\\uDD11-x\\ty")).isEqualTo(M);
        assertThat(m.mask("pä\\\"ss\\\\wo'rd\\/\uD83D\uDD11-x\\ty")).isEqualTo(M);
    }

    @Test
    void masksToJsonAsTheConsoleCallbackPrintsIt() {
        // debug: msg="json {{ token | to_json }}" at ansible-core 2.14: to_json's output, JSON-escaped again
        SecretMasker m = new SecretMasker(List.of(SPECIAL));
        assertThat(m.mask("\"msg\": \"json \\\"p\\\\u00e4\\\\\\\"ss\\\\\\\\wo'rd/\\\\ud83d\\\\udd11-x\\\\ty\\\"\""))
                .isEqualTo("\"msg\": \"json \\\"" + M + "\\\"\"");
    }

    @Test
    void masksTheYamlDoubleQuotedForms() {
        SecretMasker m = new SecretMasker(List.of(SPECIAL));
        assertThat(m.mask("token: \"pä\\\"ss\\\\wo'rd/\\U0001F511-x\\ty\"")).isEqualTo("token: \"" + M + "\"");
        assertThat(m.mask("token: \"p\\xE4\\\"ss\\\\wo'rd/\\U0001F511-x\\ty\"")).isEqualTo("token: \"" + M + "\"");
        assertThat(m.mask("token: \"p\\xe4\\\"ss\\\\wo'rd/\\U0001f511-x\\ty\"")).isEqualTo("token: \"" + M + "\"");
        // to_nice_yaml inside a debug msg: the YAML, JSON-escaped by the callback
        assertThat(m.mask("\"msg\": \"token: \\\"pä\\\\\\\"ss\\\\\\\\wo'rd/\\\\U0001F511-x\\\\ty\\\"\\n\""))
                .isEqualTo("\"msg\": \"token: \\\"" + M + "\\\"\\n\"");
    }

    @Test
    void masksTheYamlSingleQuotedForm() {
        SecretMasker m = new SecretMasker(List.of("it's-a-secret"));
        assertThat(m.mask("token: 'it''s-a-secret'")).isEqualTo("token: '" + M + "'");
    }

    @Test
    void masksPythonReprInBothQuoteStyles() {
        SecretMasker m = new SecretMasker(List.of(SPECIAL, "only'apostrophe\u0007bell\u200bzwsp"));
        assertThat(m.mask("['pä\"ss\\\\wo\\'rd/\uD83D\uDD11-x\\ty']")).isEqualTo("['" + M + "']");
        assertThat(m.mask("[\"only'apostrophe\\x07bell\\u200bzwsp\"]")).isEqualTo("[\"" + M + "\"]");
        // "repr [...]" in a debug msg: the repr, JSON-escaped by the callback
        assertThat(m.mask("\"msg\": \"repr ['pä\\\"ss\\\\\\\\wo\\\\'rd/\uD83D\uDD11-x\\\\ty']\""))
                .isEqualTo("\"msg\": \"repr ['" + M + "']\"");
    }

    @Test
    void masksTheShellQuotedForm() {
        SecretMasker m = new SecretMasker(List.of("a'b-secret"));
        assertThat(m.mask("echo 'a'\"'\"'b-secret'")).isEqualTo("echo '" + M + "'");
        // a shell task's "cmd" at -vvvv: shlex.quote's output, JSON-escaped by the callback
        SecretMasker special = new SecretMasker(List.of(SPECIAL));
        assertThat(special.mask("\"cmd\": \"echo cmd:'pä\\\"ss\\\\wo'\\\"'\\\"'rd/\uD83D\uDD11-x\\ty'\","))
                .isEqualTo("\"cmd\": \"echo cmd:'" + M + "'\",");
    }

    @Test
    void masksEachLongEnoughLineOfAMultiLineSecretAndTheWhole() {
        String key = "-----BEGIN KEY-----\nMIIBsecretbody\nshort\n-----END KEY-----";
        SecretMasker m = new SecretMasker(List.of(key));
        assertThat(m.mask("    MIIBsecretbody\n")).isEqualTo("    " + M + "\n");
        assertThat(m.mask("{\"k\": \"-----BEGIN KEY-----\\nMIIBsecretbody\\nshort\\n-----END KEY-----\"}"))
                .isEqualTo("{\"k\": \"" + M + "\"}");
        assertThat(m.mask(key + "\n")).isEqualTo(M + "\n");
        assertThat(m.mask("\"stdout_lines\": [\"-----BEGIN KEY-----\", \"MIIBsecretbody\", \"short\"]"))
                .isEqualTo("\"stdout_lines\": [\"" + M + "\", \"" + M + "\", \"short\"]");
        assertThat(m.mask("a short line stays"))
                .as("lines under six characters are not masked alone")
                .isEqualTo("a short line stays");
    }

    @Test
    void aSecretWithATrailingNewlineIsMaskedWithoutIt() {
        SecretMasker m = new SecretMasker(List.of("token-from-a-file\n"));
        assertThat(m.mask("\"stdout\": \"token-from-a-file\"")).isEqualTo("\"stdout\": \"" + M + "\"");
    }

    @Test
    void longerSecretWinsOverAShorterOneInsideIt() {
        SecretMasker m = new SecretMasker(List.of("abcdef", "xxabcdefxx"));
        assertThat(m.feed("xxabcdefxx abcdef\n")).isEqualTo(M + " " + M + "\n");
    }

    @Test
    void overlappingSecretsBecomeOneMaskSoNeitherShowsInPart() {
        SecretMasker m = new SecretMasker(List.of("abcdef", "defghi"));
        assertThat(m.mask("xxabcdefghiyy")).isEqualTo("xx" + M + "yy");
    }

    @Test
    void aLongSecretFoundLastSwallowsTheShorterOnesFoundInsideIt() {
        List<String> secrets = List.of("bcdefgh", "jklmnop", "abcdefghijklmnopq");
        assertThat(new SecretMasker(secrets).mask("<abcdefghijklmnopq>")).isEqualTo("<" + M + ">");
        assertThat(new SecretMasker(secrets).mask("<abcdefghijklmnop>")).isEqualTo("<a" + M + "i" + M + ">");
        assertThat(fedOneAtATime(new SecretMasker(secrets), "<abcdefghijklmnopq>"))
                .isEqualTo("<" + M + ">");
        assertThat(fedOneAtATime(new SecretMasker(secrets), "<abcdefghijklmnop>"))
                .isEqualTo("<a" + M + "i" + M + ">");
    }

    @Test
    void everyChunkBoundaryGivesTheSameResult() {
        List<String> secrets = List.of("hunter2-hunter", SPECIAL, "aaaaaab", "-----BEGIN\nline-of-key\n-----END");
        String text = "start hunter2-hunter2-hunter end\n"
                + "\"token\": \"pä\\\"ss\\\\wo'rd/\uD83D\uDD11-x\\ty\"\n"
                + "aaaaaaaaaaaab aaaaaa aaaaaab\n"
                + "key: -----BEGIN\nline-of-key\n-----END\n"
                + "\uD83D\uDD11 the end";
        String expected = "start " + M + " end\n"
                + "\"token\": \"" + M + "\"\n"
                + "aaaaaa" + M + " aaaaaa " + M + "\n"
                + "key: " + M + "\n"
                + "\uD83D\uDD11 the end";
        assertThat(new SecretMasker(secrets).mask(text)).isEqualTo(expected);
        for (int cut = 0; cut <= text.length(); cut++) {
            SecretMasker m = new SecretMasker(secrets);
            String out = m.feed(text.substring(0, cut)) + m.feed(text.substring(cut)) + m.finish();
            assertThat(out).as("cut at %d", cut).isEqualTo(expected);
        }
        assertThat(fedOneAtATime(new SecretMasker(secrets), text)).isEqualTo(expected);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            assertThat(fedInRandomChunks(new SecretMasker(secrets), text, random, 9))
                    .as("round %d", round)
                    .isEqualTo(expected);
        }
    }

    @Test
    void spellingsThatTouchAcrossAChunkBoundaryBecomeOneMask() {
        SecretMasker m = new SecretMasker(List.of("abcdef"));
        assertThat(m.feed("abcdefabc") + m.feed("def") + m.finish()).isEqualTo(M);
    }

    @Test
    void aHugeSecretSplitAcrossChunksIsMaskedWhole() {
        for (int length : new int[] {200_000, 1_000_000}) {
            String secret = randomSecret(length, new Random(length));
            String text = "before\n\"token\": \"" + secret + "\"\nmiddle " + secret.substring(0, length / 2) + "\n"
                    + "again " + secret + " after\n";
            SecretMasker m = new SecretMasker(List.of(secret));
            String out = fedInRandomChunks(m, text, new Random(1), 8192);
            assertThat(out)
                    .isEqualTo("before\n\"token\": \"" + M + "\"\nmiddle " + secret.substring(0, length / 2) + "\n"
                            + "again " + M + " after\n");
        }
    }

    @Test
    void aHugeSecretFedOneCharacterAtATimeStaysLinear() {
        String secret = randomSecret(200_000, new Random(3));
        SecretMasker m = new SecretMasker(List.of(secret));
        assertThat(fedOneAtATime(m, "x " + secret + " y")).isEqualTo("x " + M + " y");
    }

    @Test
    void neverReleasesHalfOfASurrogatePair() {
        // a secret that starts with a lone low surrogate could otherwise cut 🔑 in two
        SecretMasker m = new SecretMasker(List.of("\uDD11abcdef"));
        String released = m.feed("x\uD83D\uDD11abc");
        assertThat(released).isEqualTo("x");
        assertThat(m.feed("zz") + m.finish()).isEqualTo("\uD83D\uDD11abczz");
    }

    @Test
    void withoutSecretsTextPassesUnchanged() {
        SecretMasker m = new SecretMasker(List.of());
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.feed("plain **** hun")).isEqualTo("plain **** hun");
        assertThat(m.finish()).isEmpty();
    }

    @Test
    void everyChunkingGivesTheSameResultWhateverThePrefixLength() {
        // with a short prefix every spelling is a long one, checked by candidates, and the
        // overlapping ones of aaaaaab in aaaaaaaaaaaab go through a KMP match
        List<String> secrets = List.of(
                "hunter2-hunter",
                SPECIAL,
                "aaaaaab",
                "-----BEGIN\nline-of-key\n-----END",
                "bcdefgh",
                "jklmnop",
                "abcdefghijklmnopq");
        String text = "start hunter2-hunter2-hunter end\n"
                + "\"token\": \"pä\\\"ss\\\\wo'rd/\uD83D\uDD11-x\\ty\"\n"
                + "aaaaaaaaaaaab aaaaaa aaaaaab\n"
                + "key: -----BEGIN\nline-of-key\n-----END\n"
                + "<abcdefghijklmnopq> <abcdefghijklmnop>\n"
                + "\uD83D\uDD11 the end";
        String expected = "start " + M + " end\n"
                + "\"token\": \"" + M + "\"\n"
                + "aaaaaa" + M + " aaaaaa " + M + "\n"
                + "key: " + M + "\n"
                + "<" + M + "> <a" + M + "i" + M + ">\n"
                + "\uD83D\uDD11 the end";
        for (int prefix : new int[] {1, 2, 3, 5, 8, SecretMasker.PREFIX_LENGTH}) {
            assertThat(new SecretMasker(secrets, prefix).mask(text))
                    .as("prefix %d", prefix)
                    .isEqualTo(expected);
            for (int cut = 0; cut <= text.length(); cut++) {
                SecretMasker m = new SecretMasker(secrets, prefix);
                String out = m.feed(text.substring(0, cut)) + m.feed(text.substring(cut)) + m.finish();
                assertThat(out).as("prefix %d, cut at %d", prefix, cut).isEqualTo(expected);
            }
            assertThat(fedOneAtATime(new SecretMasker(secrets, prefix), text))
                    .as("prefix %d", prefix)
                    .isEqualTo(expected);
        }
    }

    @Test
    void periodicSecretsInPeriodicTextAreFoundAsANaiveSearchFindsThem() {
        Random random = new Random(11);
        for (int round = 0; round < 400; round++) {
            List<String> secrets =
                    List.of(periodic(random, 6 + random.nextInt(30)), periodic(random, 6 + random.nextInt(12)));
            String text = periodic(random, 50 + random.nextInt(250));
            String expected = naivelyMasked(secrets, text);
            int prefix = 1 + random.nextInt(6);
            assertThat(new SecretMasker(secrets, prefix).mask(text))
                    .as("round %d: %s in %s", round, secrets, text)
                    .isEqualTo(expected);
            assertThat(fedInRandomChunks(new SecretMasker(secrets, prefix), text, random, 7))
                    .as("round %d", round)
                    .isEqualTo(expected);
        }
    }

    @Test
    void twoLongSpellingsSharingTheirPrefixAreToldApartWhereTheyDiffer() {
        String shared = "shared-start-" + "0123456789".repeat(7);
        assertThat(shared.length()).isGreaterThan(SecretMasker.PREFIX_LENGTH);
        List<String> secrets = List.of(shared + "-alpha-end", shared + "-beta-end");
        String text = "a: " + shared + "-alpha-end\nb: " + shared + "-beta-end\nc: " + shared + "-gamma-end\n" + "d: "
                + shared + "-alpha-en\n";
        String expected = "a: " + M + "\nb: " + M + "\nc: " + shared + "-gamma-end\nd: " + shared + "-alpha-en\n";
        for (int cut = 0; cut <= text.length(); cut++) {
            SecretMasker m = new SecretMasker(secrets);
            String out = m.feed(text.substring(0, cut)) + m.feed(text.substring(cut)) + m.finish();
            assertThat(out).as("cut at %d", cut).isEqualTo(expected);
        }
        assertThat(fedOneAtATime(new SecretMasker(secrets), text)).isEqualTo(expected);
    }

    @Test
    void aLongSpellingRefutedAtItsLastCharacterInTheNextChunkIsReleasedAsItWas() {
        String secret = "long-secret-" + "abcdefghij".repeat(10);
        String allButLast = secret.substring(0, secret.length() - 1);
        SecretMasker m = new SecretMasker(List.of(secret));
        assertThat(m.feed("x " + allButLast))
                .as("held until the last character settles it")
                .isEqualTo("x ");
        assertThat(m.feed("J y\n")).isEqualTo(allButLast + "J y\n");
        assertThat(m.feed("z " + allButLast)).isEqualTo("z ");
        assertThat(m.feed(secret.substring(secret.length() - 1) + " w")).isEqualTo(M + " w");
        assertThat(m.feed(allButLast)).isEmpty();
        assertThat(m.finish()).as("the stream ends before the spelling does").isEqualTo(allButLast);
    }

    @Test
    void theAutomatonOfAMegabyteSecretFullOfEscapesHoldsOnlyPrefixes() {
        String secret = escapeHeavySecret(1_000_000, "", new Random(5));
        SecretMasker m = new SecretMasker(List.of(secret));
        assertThat(m.automatonStates()).isLessThanOrEqualTo(m.spellings() * SecretMasker.PREFIX_LENGTH + 1);
        assertThat(m.mask("x " + secret + " y")).isEqualTo("x " + M + " y");
        // a secret of short lines: each line is spelled too, within the lines' budget
        String lines = escapeHeavySecret(200_000, "\n", new Random(6));
        SecretMasker ml = new SecretMasker(List.of(lines));
        assertThat((long) ml.automatonStates())
                .isLessThanOrEqualTo(40L * SecretMasker.PREFIX_LENGTH + SecretSpellings.lineBudget(lines) + 1);
        assertThat(ml.mask("x " + lines + " y")).isEqualTo("x " + M + " y");
    }

    /** Quotes, backslashes, controls, non-ASCII, astral, spaces: every spelling differs and grows. */
    static String escapeHeavySecret(int length, String extra, Random random) {
        String alphabet = "\"\\'/\u00e4\t$ \u0007\u200b\u00a0ab\uD83D" + extra;
        StringBuilder sb = new StringBuilder(length + 1);
        while (sb.length() < length) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            sb.append(c == '\uD83D' ? "\uD83D\uDD11" : String.valueOf(c));
        }
        return sb.toString();
    }

    /** Text over a, b that repeats a short piece, now and then broken: where overlapping candidates are. */
    private static String periodic(Random random, int length) {
        String piece = random.ints(1 + random.nextInt(3), 0, 2)
                .mapToObj(i -> i == 0 ? "a" : "b")
                .reduce("", String::concat);
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            sb.append(random.nextInt(8) == 0 ? (random.nextBoolean() ? "a" : "b") : piece);
        }
        return sb.substring(0, length);
    }

    /** Every occurrence of every secret (no escapes in a, b), merged where they overlap or touch. */
    private static String naivelyMasked(List<String> secrets, String text) {
        boolean[] covered = new boolean[text.length() + 1];
        boolean[] startsMask = new boolean[text.length() + 1];
        int[] reach = new int[text.length() + 1];
        for (String secret : secrets) {
            for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
                reach[at] = Math.max(reach[at], at + secret.length());
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (reach[i] > i) {
                int end = reach[i];
                for (int j = i; j <= end && j < text.length(); j++) {
                    end = Math.max(end, reach[j]);
                }
                out.append(M);
                i = end;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private static String fedOneAtATime(SecretMasker m, String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            out.append(m.feed(text.substring(i, i + 1)));
        }
        return out.append(m.finish()).toString();
    }

    private static String fedInRandomChunks(SecretMasker m, String text, Random random, int maxChunk) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int n = Math.min(text.length() - at, 1 + random.nextInt(maxChunk));
            out.append(m.feed(text.substring(at, at + n)));
            at += n;
        }
        return out.append(m.finish()).toString();
    }

    static String randomSecret(int length, Random random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
