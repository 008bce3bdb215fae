package org.fedoraproject.releng.workflow.log;

/**
 * One spelling of a secret, produced on demand instead of kept: a stretch of the secret and how
 * it is printed. A megabyte secret has dozens of spellings, each up to a few times longer than the
 * secret where it is full of characters to escape; keeping them all would cost a hundred times the
 * secret, while this costs the secret, once, whatever the number of spellings.
 * <p>
 * Like the masker, not for use by several threads at once.
 */
final class Spelling {

    private final String secret;
    private final int from;
    private final int to;
    private final Printing printing;
    private final int length;
    private final long hash;

    Spelling(String secret, int from, int to, Printing printing) {
        this.secret = secret;
        this.from = from;
        this.to = to;
        this.printing = printing;
        long h = 0;
        int n = 0;
        for (Reader r = reader(); r.hasNext(); n++) {
            h = 31 * h + r.next();
        }
        this.length = n;
        this.hash = h;
    }

    int length() {
        return length;
    }

    /** A hash of its text, to find spellings that are the same text. */
    long hash() {
        return hash;
    }

    /** Its first {@code n} characters (all of it when it is shorter). */
    String prefix(int n) {
        StringBuilder sb = new StringBuilder(Math.min(n, length));
        for (Reader r = reader(); r.hasNext() && sb.length() < n; ) {
            sb.append(r.next());
        }
        return sb.toString();
    }

    Reader reader() {
        return new Reader();
    }

    /** Whether it is the same text as {@code other}, read side by side. */
    boolean sameAs(Spelling other) {
        if (length != other.length || hash != other.hash) {
            return false;
        }
        for (Reader a = reader(), b = other.reader(); a.hasNext(); ) {
            if (a.next() != b.next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return prefix(length);
    }

    /** Reads the spelling from its start, one character at a time. */
    final class Reader {
        private final char[] printed = new char[Printing.MAX_EXPANSION];
        private final boolean[] verbatim = printing.verbatim();
        private int at = from;
        private int size;
        private int next;

        boolean hasNext() {
            return next < size || at < to;
        }

        char next() {
            if (next == size) {
                char c = secret.charAt(at);
                if (c < 128 && verbatim[c]) {
                    at++;
                    return c;
                }
                int cp = secret.codePointAt(at);
                // a pair cut by the stretch's end is a lone surrogate, as the secret's lines print it
                int units = Character.charCount(cp) == 2 && at + 1 >= to ? 1 : Character.charCount(cp);
                size = printing.print(units == 1 ? secret.charAt(at) : cp, printed, 0);
                at += units;
                next = 0;
            }
            return printed[next++];
        }

        /** Passes over {@code n} characters. */
        void skip(int n) {
            for (int i = 0; i < n; i++) {
                next();
            }
        }
    }
}
