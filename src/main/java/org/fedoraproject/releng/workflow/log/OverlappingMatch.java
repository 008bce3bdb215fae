package org.fedoraproject.releng.workflow.log;

import java.util.Arrays;

/**
 * Knuth–Morris–Pratt matching of one long spelling, for text that repeats a piece of it: one
 * step per character however many partial matches overlap, since they are all borders of the
 * longest one. The border table is built only as far as the text has matched, so it costs four
 * bytes per character of text actually seen, never the whole spelling in advance.
 */
final class OverlappingMatch {

    private final String spelling;
    /** {@code border[j]}: the longest proper prefix of the spelling's first j characters that is also their suffix. */
    private int[] border = new int[64];
    private int known = 1;
    private int matched;

    /** Starts with the text's last {@code matched} characters being the spelling's first ones. */
    OverlappingMatch(String spelling, int matched) {
        this.spelling = spelling;
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
        while (m > 0 && spelling.charAt(m) != c) {
            m = border[m];
        }
        if (spelling.charAt(m) == c) {
            m++;
        }
        if (m == spelling.length()) {
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
            border = Arrays.copyOf(border, Math.max(j + 1, Math.min(spelling.length() + 1, border.length * 2)));
        }
        for (int i = known; i < j; i++) {
            int k = border[i];
            while (k > 0 && spelling.charAt(k) != spelling.charAt(i)) {
                k = border[k];
            }
            if (spelling.charAt(k) == spelling.charAt(i)) {
                k++;
            }
            border[i + 1] = k;
        }
        known = j + 1;
    }
}
