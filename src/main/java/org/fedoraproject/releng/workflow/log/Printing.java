package org.fedoraproject.releng.workflow.log;

/**
 * One way of printing a text, one code point at a time: the escaping of a JSON, YAML or Python
 * string, or shell quoting. Every printing of {@link SecretSpellings} is of this kind (a code
 * point's output never depends on its neighbours), which lets a spelling be produced on demand,
 * character by character, instead of being kept: see {@link Spelling}.
 */
abstract class Printing {

    /** The longest output of one code point, over every printing and one JSON escaping of it. */
    static final int MAX_EXPANSION = 16;

    static final Printing AS_IS = new Printing() {
        @Override
        int print(int cp, char[] out, int at) {
            return Character.toChars(cp, out, at) + at;
        }
    };

    private boolean[] verbatim;

    /** Writes how {@code cp} is printed to {@code out} from {@code at}; returns the end. */
    abstract int print(int cp, char[] out, int at);

    /**
     * For each ASCII character, whether it is printed as itself: most of a secret is, so a
     * {@link Spelling.Reader} passes those on without printing them.
     */
    final boolean[] verbatim() {
        if (verbatim == null) {
            boolean[] table = new boolean[128];
            char[] out = new char[MAX_EXPANSION];
            for (char c = 0; c < 128; c++) {
                table[c] = print(c, out, 0) == 1 && out[0] == c;
            }
            verbatim = table;
        }
        return verbatim;
    }

    /**
     * A JSON string's inside. Python's {@code json.dumps} writes lower-case hex, and with
     * {@code ensure_ascii} (its default, and {@code to_json}'s) escapes all but printable ASCII,
     * astral characters as surrogate pairs; other writers use upper-case hex or escape {@code /}.
     */
    static Printing json(boolean asciiOnly, boolean upperHex, boolean escapeSlash) {
        return new Printing() {
            @Override
            int print(int cp, char[] out, int at) {
                if (cp > 0xffff) {
                    return printChar(Character.lowSurrogate(cp), out, printChar(Character.highSurrogate(cp), out, at));
                }
                return printChar((char) cp, out, at);
            }

            private int printChar(char c, char[] out, int at) {
                return switch (c) {
                    case '"' -> put(out, at, '\\', '"');
                    case '\\' -> put(out, at, '\\', '\\');
                    case '\n' -> put(out, at, '\\', 'n');
                    case '\r' -> put(out, at, '\\', 'r');
                    case '\t' -> put(out, at, '\\', 't');
                    case '\b' -> put(out, at, '\\', 'b');
                    case '\f' -> put(out, at, '\\', 'f');
                    case '/' -> escapeSlash ? put(out, at, '\\', '/') : put(out, at, '/');
                    default ->
                        c < 0x20 || (asciiOnly && c > 0x7e)
                                ? hex(c, 4, upperHex, out, put(out, at, '\\', 'u'))
                                : put(out, at, c);
                };
            }
        };
    }

    /**
     * A YAML double-quoted scalar's inside as PyYAML writes it ({@code to_yaml} allows Unicode, so
     * only astral and unprintable characters are escaped; plain PyYAML escapes all non-ASCII).
     */
    static Printing yamlDoubleQuoted(boolean asciiOnly, boolean upperHex) {
        return new Printing() {
            @Override
            int print(int cp, char[] out, int at) {
                char named = switch (cp) {
                    case 0 -> '0';
                    case 0x07 -> 'a';
                    case 0x08 -> 'b';
                    case 0x09 -> 't';
                    case 0x0a -> 'n';
                    case 0x0b -> 'v';
                    case 0x0c -> 'f';
                    case 0x0d -> 'r';
                    case 0x1b -> 'e';
                    case '"' -> '"';
                    case '\\' -> '\\';
                    case 0x85 -> 'N';
                    case 0x2028 -> 'L';
                    case 0x2029 -> 'P';
                    case 0xa0 -> asciiOnly ? '_' : 0;
                    default -> 0;
                };
                boolean printable = (cp >= 0x20 && cp <= 0x7e)
                        || (!asciiOnly
                                && ((cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) && cp != 0xfeff));
                if (named != 0) {
                    return put(out, at, '\\', named);
                } else if (printable) {
                    return AS_IS.print(cp, out, at);
                }
                return escaped(cp, upperHex, out, at);
            }
        };
    }

    /** YAML single-quoted: {@code '} is doubled. */
    static final Printing YAML_SINGLE_QUOTED = new Printing() {
        @Override
        int print(int cp, char[] out, int at) {
            return cp == '\'' ? put(out, at, '\'', '\'') : AS_IS.print(cp, out, at);
        }
    };

    /**
     * A Python 3 {@code repr} of a str, without its quotes: {@code '...'} with {@code \'}, or the
     * {@code "..."} form Python picks when the text holds {@code '} but no {@code "}.
     */
    static Printing pythonRepr(boolean singleQuoted) {
        return new Printing() {
            @Override
            int print(int cp, char[] out, int at) {
                if (cp == '\\') {
                    return put(out, at, '\\', '\\');
                } else if (cp == '\'' && singleQuoted) {
                    return put(out, at, '\\', '\'');
                } else if (cp == '\t') {
                    return put(out, at, '\\', 't');
                } else if (cp == '\n') {
                    return put(out, at, '\\', 'n');
                } else if (cp == '\r') {
                    return put(out, at, '\\', 'r');
                } else if (cp < 0x20 || cp == 0x7f) {
                    return hex(cp, 2, false, out, put(out, at, '\\', 'x'));
                } else if (cp < 0x7f || pythonPrintable(cp)) {
                    return AS_IS.print(cp, out, at);
                }
                return escaped(cp, false, out, at);
            }
        };
    }

    /** The inside of {@code shlex.quote}'s output for a text that needs quoting: {@code '} becomes {@code '"'"'}. */
    static final Printing SHELL_QUOTED = new Printing() {
        @Override
        int print(int cp, char[] out, int at) {
            return cp == '\'' ? put(out, at, '\'', '"', '\'', '"', '\'') : AS_IS.print(cp, out, at);
        }
    };

    /** This printing's output, JSON-escaped as the console callback prints it. */
    Printing thenJson() {
        Printing inner = this;
        Printing outer = json(false, false, false);
        return new Printing() {
            private final char[] once = new char[MAX_EXPANSION];

            @Override
            int print(int cp, char[] out, int at) {
                int n = inner.print(cp, once, 0);
                int end = at;
                // JSON escapes each UTF-16 unit on its own, so a surrogate pair passes as two
                for (int i = 0; i < n; i++) {
                    end = outer.print(once[i], out, end);
                }
                return end;
            }
        };
    }

    /** Python's {@code str.isprintable} for one character: not "Other" nor a separator but space. */
    private static boolean pythonPrintable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** {@code \xHH}, {@code \}{@code uHHHH} or {@code \UHHHHHHHH}, as YAML and Python escape. */
    private static int escaped(int cp, boolean upperHex, char[] out, int at) {
        if (cp <= 0xff) {
            return hex(cp, 2, upperHex, out, put(out, at, '\\', 'x'));
        } else if (cp <= 0xffff) {
            return hex(cp, 4, upperHex, out, put(out, at, '\\', 'u'));
        }
        return hex(cp, 8, upperHex, out, put(out, at, '\\', 'U'));
    }

    private static int hex(int value, int digits, boolean upper, char[] out, int at) {
        String alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = alphabet.charAt(value & 0xf);
            value >>>= 4;
        }
        return at + digits;
    }

    private static int put(char[] out, int at, char... chars) {
        System.arraycopy(chars, 0, out, at, chars.length);
        return at + chars.length;
    }
}
