package org.fedoraproject.releng.workflow.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ways Ansible can print a secret, each of which must be masked: as it is; JSON-escaped (the
 * console callback, {@code to_json}, other JSON writers); YAML double- and single-quoted
 * ({@code to_yaml}, {@code to_nice_yaml}); as a Python {@code repr} (a list or dict templated into
 * a string); shell-quoted as {@code shlex.quote} does ({@code | quote}, commands at {@code -vvvv}).
 * The console callback prints results as JSON, so each of these forms is also taken once more
 * through its JSON escaping. Only the inside of a quoted form is kept: masking it hides the secret.
 * <p>
 * A secret of several lines is also masked line by line, since commands print it that way, but
 * only lines of at least {@link SecretMasker#MIN_LENGTH} characters: a short line ({@code }},
 * {@code -----}, an empty one) also occurs everywhere else in a log, so masking it would wreck the
 * log and tell a reader which of its lines are part of the secret.
 * <p>
 * The spellings are not kept but produced on demand ({@link Spelling}); what the lines cost is
 * their prefixes in the automaton, so a secret of very many lines is masked line by line in as
 * many spellings as {@link #lineBudget} allows, the likeliest first (as printed, then JSON): the
 * whole secret is always masked in every spelling.
 */
final class SecretSpellings {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final Pattern LINE = Pattern.compile("[^\\n\\x0B\\f\\r\\x85\\u2028\\u2029]+");
    /** The printings, likeliest first; each also once more through JSON ({@link Printing#thenJson}). */
    private static final List<Printing> PRINTINGS = printings();

    private SecretSpellings() {}

    /**
     * Every spelling of {@code secret} and of each of its long enough lines (possibly the same text
     * more than once: see {@link #distinct}); empty for "".
     */
    static List<Spelling> of(String secret, int prefixLength) {
        List<Spelling> result = new ArrayList<>();
        if (secret == null || secret.isEmpty()) {
            return result;
        }
        addAll(result, secret, 0, secret.length());
        List<int[]> lines = lines(secret);
        long budget = lineBudget(secret);
        List<Printing> all = withJson();
        for (Printing printing : all) {
            for (int[] line : lines) {
                Spelling spelling = spelling(secret, line[0], line[1], printing);
                budget -= Math.min(spelling.length(), prefixLength);
                if (budget < 0) {
                    return result;
                }
                result.add(spelling);
            }
        }
        return result;
    }

    /**
     * How many automaton states the lines of {@code secret} may take: enough for every spelling of
     * the lines of a key of a few kilobytes, and one state per character beyond (about 27 bytes).
     */
    static long lineBudget(String secret) {
        return 16_384 + secret.length();
    }

    /** The spellings, each text once. */
    static List<Spelling> distinct(Collection<Spelling> spellings) {
        Map<Long, List<Spelling>> seen = new HashMap<>();
        List<Spelling> result = new ArrayList<>();
        for (Spelling s : spellings) {
            if (s.length() == 0) {
                continue;
            }
            List<Spelling> same =
                    seen.computeIfAbsent(s.length() * 0x9E3779B97F4A7C15L ^ s.hash(), k -> new ArrayList<>());
            if (same.stream().noneMatch(s::sameAs)) {
                same.add(s);
                result.add(s);
            }
        }
        return result;
    }

    private static void addAll(List<Spelling> result, String secret, int from, int to) {
        for (Printing printing : withJson()) {
            result.add(spelling(secret, from, to, printing));
        }
    }

    private static Spelling spelling(String secret, int from, int to, Printing printing) {
        boolean shellSafe = printing == Printing.SHELL_QUOTED
                && SHELL_SAFE.matcher(secret).region(from, to).matches();
        return new Spelling(secret, from, to, shellSafe ? Printing.AS_IS : printing);
    }

    /** The lines of {@code secret} (ranges, stripped) of at least the minimum length, when it has several. */
    private static List<int[]> lines(String secret) {
        List<int[]> lines = new ArrayList<>();
        Matcher m = LINE.matcher(secret);
        while (m.find()) {
            int from = m.start();
            int to = m.end();
            while (from < to && Character.isWhitespace(secret.codePointAt(from))) {
                from += Character.charCount(secret.codePointAt(from));
            }
            while (to > from && Character.isWhitespace(secret.codePointBefore(to))) {
                to -= Character.charCount(secret.codePointBefore(to));
            }
            if (to - from >= SecretMasker.MIN_LENGTH && to - from < secret.length()) {
                lines.add(new int[] {from, to});
            }
        }
        return lines;
    }

    private static List<Printing> withJson() {
        List<Printing> all = new ArrayList<>(PRINTINGS);
        for (Printing p : PRINTINGS) {
            all.add(p.thenJson());
        }
        return all;
    }

    private static List<Printing> printings() {
        List<Printing> printings = new ArrayList<>();
        printings.add(Printing.AS_IS);
        for (boolean asciiOnly : new boolean[] {true, false}) {
            for (boolean upperHex : new boolean[] {false, true}) {
                for (boolean slash : new boolean[] {false, true}) {
                    printings.add(Printing.json(asciiOnly, upperHex, slash));
                }
                printings.add(Printing.yamlDoubleQuoted(asciiOnly, upperHex));
            }
        }
        printings.add(Printing.YAML_SINGLE_QUOTED);
        printings.add(Printing.pythonRepr(true));
        printings.add(Printing.pythonRepr(false));
        printings.add(Printing.SHELL_QUOTED);
        return List.copyOf(printings);
    }
}
