package org.fedoraproject.releng.workflow.log;

import java.util.Arrays;

/**
 * Knuth–Morris–Pratt matching of one long spelling, for text that repeats a piece of it: one
 * step per character however many partial matches overlap, since they are all borders of the
 * longest one. The spelling's characters and its border table are built only as far as the text
 * has matched, so they cost six bytes per character of text actually seen, never the whole
 * spelling in advance.
 */
final class OverlappingMatch {

    private final Spelling.Reader reader;
    private final int length;
    /** The spelling's first characters, as far as they were needed. */
    private char[] text = new char[64];

    private int read;
    /** {@code border[j]}: the longest proper prefix of the spelling's first j characters that is also their suffix. */
    private int[] border = new int[64];

    private int known = 1;
    private int matched;

    /** Starts with the text's last {@code matched} characters being the spelling's first ones. */
    OverlappingMatch(Spelling spelling, int matched) {
        this.reader = spelling.reader();
        this.length = spelling.length();
        this.matched = matched;
        learnBorders(matched);
    }

    /** How many of the last characters read are the start of the spelling (the longest such). */
    int matched() {
        return matched;
    }

    /** Reads {@code c}; returns the spelling's length when it ends here, 0 otherwise. */
    int step(char c) {
        int m = matched;
        while (m > 0 && charAt(m) != c) {
            m = border[m];
        }
        if (charAt(m) == c) {
            m++;
        }
        if (m == length) {
            learnBorders(m);
            matched = border[m];
            return m;
        }
        learnBorders(m);
        matched = m;
        return 0;
    }

    /** Fills the border table up to {@code j}, continuing where it stopped. */
    private void learnBorders(int j) {
        if (j < known) {
            return;
        }
        if (j >= border.length) {
            border = Arrays.copyOf(border, Math.max(j + 1, Math.min(length + 1, border.length * 2)));
        }
        // border[0] and border[1] are 0; each further one extends the one before
        for (int next = Math.max(known, 2); next <= j; next++) {
            int k = border[next - 1];
            char c = charAt(next - 1);
            while (k > 0 && charAt(k) != c) {
                k = border[k];
            }
            if (charAt(k) == c) {
                k++;
            }
            border[next] = k;
        }
        known = j + 1;
    }

    /** The spelling's character at {@code i} (below its length), read on first need. */
    private char charAt(int i) {
        while (read <= i) {
            if (read == text.length) {
                text = Arrays.copyOf(text, Math.min(length, text.length * 2));
            }
            text[read++] = reader.next();
        }
        return text[i];
    }
}
