package org.fedoraproject.releng.workflow.log;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 */
final class SecretSpellings {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");

    private SecretSpellings() {}

    /** Every spelling of {@code secret} and of each of its long enough lines; empty for "". */
    static Set<String> of(String secret) {
        Set<String> result = new LinkedHashSet<>();
        if (secret == null || secret.isEmpty()) {
            return result;
        }
        addAll(result, secret);
        for (String line : LINE_BREAK.split(secret)) {
            String part = line.strip();
            if (part.length() >= SecretMasker.MIN_LENGTH && !part.equals(secret)) {
                addAll(result, part);
            }
        }
        return result;
    }

    private static void addAll(Set<String> result, String text) {
        for (String form : printedForms(text)) {
            result.add(form);
            result.add(json(form, false, false, false));
        }
    }

    /** The forms of {@code text} one printing step produces. */
    static List<String> printedForms(String text) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(text);
        for (boolean asciiOnly : new boolean[] {false, true}) {
            for (boolean upperHex : new boolean[] {false, true}) {
                for (boolean slash : new boolean[] {false, true}) {
                    forms.add(json(text, asciiOnly, upperHex, slash));
                }
                forms.add(yamlDoubleQuoted(text, asciiOnly, upperHex));
            }
        }
        forms.add(text.replace("'", "''"));
        forms.add(pythonRepr(text, true));
        forms.add(pythonRepr(text, false));
        forms.add(shellQuoted(text));
        return List.copyOf(forms);
    }

    /**
     * A JSON string's inside. Python's {@code json.dumps} writes lower-case hex, and with
     * {@code ensure_ascii} (its default, and {@code to_json}'s) escapes all but printable ASCII,
     * astral characters as surrogate pairs; other writers use upper-case hex or escape {@code /}.
     */
    static String json(String s, boolean asciiOnly, boolean upperHex, boolean escapeSlash) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '/' -> sb.append(escapeSlash ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) {
                        sb.append("\\u").append(hex(c, 4, upperHex));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * A YAML double-quoted scalar's inside as PyYAML writes it ({@code to_yaml} allows Unicode, so
     * only astral and unprintable characters are escaped; plain PyYAML escapes all non-ASCII).
     */
    static String yamlDoubleQuoted(String s, boolean asciiOnly, boolean upperHex) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(cp -> {
            String named = switch (cp) {
                case 0 -> "\\0";
                case 0x07 -> "\\a";
                case 0x08 -> "\\b";
                case 0x09 -> "\\t";
                case 0x0a -> "\\n";
                case 0x0b -> "\\v";
                case 0x0c -> "\\f";
                case 0x0d -> "\\r";
                case 0x1b -> "\\e";
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case 0x85 -> "\\N";
                case 0x2028 -> "\\L";
                case 0x2029 -> "\\P";
                case 0xa0 -> asciiOnly ? "\\_" : null;
                default -> null;
            };
            boolean printable = (cp >= 0x20 && cp <= 0x7e)
                    || (!asciiOnly && ((cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) && cp != 0xfeff));
            if (named != null) {
                sb.append(named);
            } else if (printable) {
                sb.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                sb.append("\\x").append(hex(cp, 2, upperHex));
            } else if (cp <= 0xffff) {
                sb.append("\\u").append(hex(cp, 4, upperHex));
            } else {
                sb.append("\\U").append(hex(cp, 8, upperHex));
            }
        });
        return sb.toString();
    }

    /**
     * A Python 3 {@code repr} of a str, without its quotes: {@code '...'} with {@code \'}, or the
     * {@code "..."} form Python picks when the text holds {@code '} but no {@code "}.
     */
    static String pythonRepr(String s, boolean singleQuoted) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(cp -> {
            if (cp == '\\') {
                sb.append("\\\\");
            } else if (cp == '\'' && singleQuoted) {
                sb.append("\\'");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp < 0x20 || cp == 0x7f) {
                sb.append("\\x").append(hex(cp, 2, false));
            } else if (cp < 0x7f || pythonPrintable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                sb.append("\\x").append(hex(cp, 2, false));
            } else if (cp <= 0xffff) {
                sb.append("\\u").append(hex(cp, 4, false));
            } else {
                sb.append("\\U").append(hex(cp, 8, false));
            }
        });
        return sb.toString();
    }

    /** Python's {@code str.isprintable} for one character: not "Other" nor a separator but space. */
    private static boolean pythonPrintable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** The inside of {@code shlex.quote}'s output: {@code '} becomes {@code '"'"'}. */
    static String shellQuoted(String s) {
        if (SHELL_SAFE.matcher(s).matches()) {
            return s;
        }
        return s.replace("'", "'\"'\"'");
    }

    private static String hex(int value, int digits, boolean upper) {
        String h = Integer.toHexString(value);
        String padded = "0".repeat(Math.max(0, digits - h.length())) + h;
        return upper ? padded.toUpperCase(java.util.Locale.ROOT) : padded;
    }
}
