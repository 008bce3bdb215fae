package org.fedoraproject.releng.workflow.log;

import java.util.Arrays;

/**
 * The long spellings whose prefix the {@link SpellingAutomaton} has seen in one stream, each
 * checked against the text that follows, one character at a time, until it is confirmed (the whole
 * spelling is there) or refuted (a character differs, or the stream ends). Nothing is copied: a
 * candidate is where the spelling would start and a {@link Spelling.Reader} at the character it
 * expects next.
 * <p>
 * Candidates of one spelling overlap only when the text repeats a piece of it ({@code aaaa…} for
 * a secret {@code aaaa…b}); checking each of them would cost the number of overlapping
 * candidates for every character, which a secret and a log line of one repeated character would
 * make a million. So beyond {@value #MAX_OVERLAPPING} of them, that spelling is followed by an
 * {@link OverlappingMatch} instead, which takes one step per character however many there are.
 */
final class Candidates {

    static final int MAX_OVERLAPPING = 4;

    private final SpellingAutomaton automaton;
    private final int prefixLength;
    /** The candidates in the order they started, so the first one starts earliest. */
    private int[] spelling = new int[8];

    private long[] start = new long[8];
    private Spelling.Reader[] expected = new Spelling.Reader[8];
    private int size;
    /** For each long spelling, how many of the candidates above are of it. */
    private final int[] live;
    /** For each long spelling, its overlapping match, or null when it has few enough candidates. */
    private final OverlappingMatch[] overlapping;

    private int[] followed = new int[4];
    private int followedSize;

    Candidates(SpellingAutomaton automaton) {
        this.automaton = automaton;
        this.prefixLength = automaton.prefixLength();
        this.live = new int[automaton.longSpellings()];
        this.overlapping = new OverlappingMatch[automaton.longSpellings()];
    }

    boolean isEmpty() {
        return size == 0 && followedSize == 0;
    }

    /**
     * Checks the character at {@code end - 1} against every candidate; returns the length of the
     * longest spelling that it completes, 0 when none.
     */
    int step(char c, long end) {
        int found = 0;
        int kept = 0;
        for (int k = 0; k < size; k++) {
            int id = spelling[k];
            Spelling.Reader reader = expected[k];
            boolean same = reader.next() == c;
            if (!same || !reader.hasNext()) {
                if (same) {
                    found = Math.max(found, automaton.longSpelling(id).length());
                }
                live[id]--;
                continue;
            }
            move(k, kept++);
        }
        clearFrom(kept);
        for (int k = 0; k < followedSize; k++) {
            OverlappingMatch match = overlapping[followed[k]];
            found = Math.max(found, match.step(c));
            if (match.matched() < prefixLength) {
                // shorter partial matches are the automaton's again
                overlapping[followed[k]] = null;
                followed[k--] = followed[--followedSize];
            }
        }
        return found;
    }

    /** The prefix of the spellings of {@code group} ends at {@code end}: each may start there. */
    void start(int group, long end) {
        for (int id : automaton.group(group)) {
            if (overlapping[id] != null) {
                continue;
            }
            if (live[id] == MAX_OVERLAPPING) {
                follow(id, end);
                continue;
            }
            if (size == spelling.length) {
                spelling = Arrays.copyOf(spelling, size * 2);
                start = Arrays.copyOf(start, size * 2);
                expected = Arrays.copyOf(expected, size * 2);
            }
            Spelling.Reader reader = automaton.longSpelling(id).reader();
            reader.skip(prefixLength);
            spelling[size] = id;
            start[size] = end - prefixLength;
            expected[size] = reader;
            size++;
            live[id]++;
        }
    }

    /**
     * The earliest position where a spelling being checked would start ({@code end} when there is
     * none): the text from there on may still be masked, so it must not be released.
     */
    long earliestStart(long end) {
        long earliest = size > 0 ? start[0] : end;
        for (int k = 0; k < followedSize; k++) {
            earliest = Math.min(earliest, end - overlapping[followed[k]].matched());
        }
        return earliest;
    }

    /** The stream ended: whatever was not complete is not a spelling. */
    void clear() {
        clearFrom(0);
        Arrays.fill(live, 0);
        for (int k = 0; k < followedSize; k++) {
            overlapping[followed[k]] = null;
        }
        followedSize = 0;
    }

    /** Replaces the candidates of spelling {@code id} with one match from the earliest of them. */
    private void follow(int id, long end) {
        long earliest = end;
        int kept = 0;
        for (int k = 0; k < size; k++) {
            if (spelling[k] == id) {
                earliest = Math.min(earliest, start[k]);
                continue;
            }
            move(k, kept++);
        }
        clearFrom(kept);
        live[id] = 0;
        overlapping[id] = new OverlappingMatch(automaton.longSpelling(id), (int) (end - earliest));
        if (followedSize == followed.length) {
            followed = Arrays.copyOf(followed, followedSize * 2);
        }
        followed[followedSize++] = id;
    }

    private void move(int from, int to) {
        spelling[to] = spelling[from];
        start[to] = start[from];
        expected[to] = expected[from];
    }

    /** Drops the candidates from {@code n} on, readers included, so that they can be collected. */
    private void clearFrom(int n) {
        Arrays.fill(expected, n, size, null);
        size = n;
    }
}
