package org.fedoraproject.releng.workflow.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An Aho–Corasick automaton over the first {@code prefixLength} characters of every spelling of
 * every secret: one step per character of the log, whatever the number of spellings (no
 * rescanning, no per-secret passes).
 * <p>
 * Only the prefixes go into it, so that its size does not grow with the secrets: a spelling of a
 * megabyte costs {@code prefixLength} states, not a million (at about 27 bytes a state, a 1 MB
 * secret's 87 spellings once took 550 MB). A spelling no longer than the prefix is found by the
 * automaton alone ({@link #longestMatch}); for a longer one, the automaton only says where its
 * prefix ended ({@link #longGroup}), and {@link Candidates} checks the rest against the text.
 * <p>
 * States are ints, numbered breadth first; children are kept as sibling lists (most states have
 * one child, as spellings are long chains).
 */
final class SpellingAutomaton {

    static final int START = 0;
    private static final int NONE = -1;
    private static final int ASCII = 128;
    private static final int SHALLOW_DEPTH = 2;
    private static final int SHALLOW_ROWS = 1024;

    private char[] label;
    private int[] firstChild;
    private int[] nextSibling;
    private int[] fail;
    private int[] depth;
    /** Length of the longest spelling that ends at this state, 0 when none does. */
    private int[] longestMatch;
    /**
     * The group of long spellings whose prefix this state is, {@code NONE} when it is not one.
     * Only a state at the prefix length has one, and no failure link can lead to another: the
     * prefixes are all as long as the deepest state.
     */
    private int[] longGroup;

    private final int prefixLength;
    /** The spellings longer than the prefix, each once; {@code groups} lists them by prefix. */
    private final Spelling[] longSpellings;

    private final int[][] groups;
    /**
     * Where a log spends nearly all its time, at the start state and one or two characters into a
     * spelling, the next state for each ASCII character is looked up in one table row: no sibling
     * lists, no failure links, few branches to mispredict.
     */
    private int shallowRows;

    private int[] shallow;
    /** The start state's children for every character, as most log characters go through it. */
    private final int[] startChildren = new int[Character.MAX_VALUE + 1];
    /** Whether a spelling no longer than the prefix, or a long spelling's prefix, ends at this state. */
    private boolean[] reports;
    /**
     * For a pair of characters (hashed, see {@link #pair}), whether some spelling may start with
     * it. From the start state, a character whose pair with the next one starts none leaves the
     * automaton where it was, so a log without secrets is passed over two characters at a look:
     * far fewer pairs than characters start a spelling, so the loop seldom stops.
     */
    private final boolean[] startPairs = new boolean[1 << 16];
    /** Off when a spelling or prefix is one character long: then a pair says nothing. */
    private boolean pairsTell = true;

    private int size;
    private int longest;
    private int spellings;

    /** Over {@code spellings} (each once), the longer ones cut to their first {@code prefixLength}. */
    SpellingAutomaton(Collection<Spelling> spellings, int prefixLength) {
        if (prefixLength < 1) {
            throw new IllegalArgumentException("prefixLength must be at least 1");
        }
        this.prefixLength = prefixLength;
        // sized for every prefix character at once: growing by doubling would hold twice that
        int capacity = 1;
        for (Spelling s : spellings) {
            capacity += Math.min(s.length(), prefixLength);
        }
        label = new char[capacity];
        firstChild = new int[capacity];
        nextSibling = new int[capacity];
        fail = new int[capacity];
        depth = new int[capacity];
        longestMatch = new int[capacity];
        longGroup = new int[capacity];
        Arrays.fill(startChildren, NONE);
        newState('\0', 0);
        List<Spelling> longs = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        for (Spelling s : spellings) {
            int end = add(s.prefix(prefixLength), s.length());
            if (s.length() > prefixLength) {
                if (longGroup[end] == NONE) {
                    longGroup[end] = members.size();
                    members.add(new ArrayList<>());
                }
                members.get(longGroup[end]).add(longs.size());
                longs.add(s);
            }
        }
        longSpellings = longs.toArray(Spelling[]::new);
        groups = members.stream()
                .map(m -> m.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        numberBreadthFirst(link());
        tabulateShallowStates();
        reports = new boolean[size];
        for (int state = 0; state < size; state++) {
            reports[state] = longestMatch[state] > 0 || longGroup[state] != NONE;
        }
        tabulateStartPairs();
    }

    /** Length of the longest spelling; 0 when there is none. */
    int longest() {
        return longest;
    }

    /** How many spellings it finds. */
    int spellings() {
        return spellings;
    }

    /** How many characters of a spelling the automaton holds at most. */
    int prefixLength() {
        return prefixLength;
    }

    /** The number of states: at most one per prefix character, plus the start. */
    int states() {
        return size;
    }

    /**
     * Reads {@code text[from, to)} from {@code state} up to the first character after which the
     * state {@link #reports} something. This is where a log without secrets spends its time, so
     * it is one loop with no stores: characters that start no spelling are passed over with one
     * look-up, and the next few with one table row each.
     *
     * @return where it stopped (that character's index + 1, or {@code to}) and the state there,
     *     packed as {@code position << 32 | state}: see {@link #position} and {@link #state}
     */
    long run(char[] text, int from, int to, int state) {
        int s = state;
        int i = from;
        while (i < to) {
            if (s == START && pairsTell) {
                while (i < to - 1 && !startPairs[pair(text[i], text[i + 1])]) {
                    i++;
                }
            }
            char c = text[i++];
            if (s == START) {
                int child = startChildren[c];
                if (child == NONE) {
                    continue;
                }
                s = child;
            } else {
                s = next(s, c);
            }
            if (reports[s]) {
                break;
            }
        }
        return (long) i << 32 | s;
    }

    /** Distinct for two ASCII characters; other pairs may share a slot, which only stops the skip. */
    private static int pair(char first, char second) {
        return (first << 8 ^ second) & 0xFFFF;
    }

    static int position(long run) {
        return (int) (run >>> 32);
    }

    static int state(long run) {
        return (int) run;
    }

    /** Whether a spelling or a long spelling's prefix ends with the last character read. */
    boolean reports(int state) {
        return reports[state];
    }

    /** The state after reading {@code c} in {@code state}. */
    int next(int state, char c) {
        if (state < shallowRows && c < ASCII) {
            return shallow[state * ASCII + c];
        }
        for (int s = state; s != START; s = fail[s]) {
            for (int child = firstChild[s]; child != NONE; child = nextSibling[child]) {
                if (label[child] == c) {
                    return child;
                }
            }
        }
        int child = startChildren[c];
        return child == NONE ? START : child;
    }

    /** How many of the last characters read are the start of some spelling. */
    int depth(int state) {
        return depth[state];
    }

    /**
     * Length of the longest spelling no longer than the prefix that ends with the last character
     * read; 0 when none.
     */
    int longestMatch(int state) {
        return longestMatch[state];
    }

    /** The group of long spellings whose prefix the last characters read are, or a negative number. */
    int longGroup(int state) {
        return longGroup[state];
    }

    /** The long spellings (ids into {@link #longSpelling}) that share the prefix of {@code group}. */
    int[] group(int group) {
        return groups[group];
    }

    Spelling longSpelling(int id) {
        return longSpellings[id];
    }

    int longSpellings() {
        return longSpellings.length;
    }

    /** Adds the prefix of a spelling of {@code length} characters; returns the state it ends at. */
    private int add(String prefix, int length) {
        if (prefix.isEmpty()) {
            return START;
        }
        int s = START;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            int child = child(s, c);
            if (child == NONE) {
                child = newState(c, i + 1);
                if (s == START) {
                    startChildren[c] = child;
                }
                nextSibling[child] = firstChild[s];
                firstChild[s] = child;
            }
            s = child;
        }
        if (length <= prefixLength) {
            longestMatch[s] = length;
        }
        longest = Math.max(longest, length);
        spellings++;
        return s;
    }

    private int child(int state, char c) {
        if (state == START) {
            return startChildren[c];
        }
        for (int child = firstChild[state]; child != NONE; child = nextSibling[child]) {
            if (label[child] == c) {
                return child;
            }
        }
        return NONE;
    }

    private int newState(char c, int d) {
        if (size == label.length) {
            int n = size * 2;
            label = Arrays.copyOf(label, n);
            firstChild = Arrays.copyOf(firstChild, n);
            nextSibling = Arrays.copyOf(nextSibling, n);
            fail = Arrays.copyOf(fail, n);
            depth = Arrays.copyOf(depth, n);
            longestMatch = Arrays.copyOf(longestMatch, n);
            longGroup = Arrays.copyOf(longGroup, n);
        }
        label[size] = c;
        firstChild[size] = NONE;
        nextSibling[size] = NONE;
        fail[size] = START;
        depth[size] = d;
        longGroup[size] = NONE;
        return size++;
    }

    /**
     * Renumbers the states in breadth-first order ({@code order} lists all but the start), so
     * that the states nearest the start, the ones with table rows, are the lowest numbers.
     */
    private void numberBreadthFirst(int[] order) {
        int[] number = new int[size];
        for (int i = 0; i < order.length; i++) {
            number[order[i]] = i + 1;
        }
        int[] renumbered = new int[size];
        renumbered[START] = START;
        System.arraycopy(order, 0, renumbered, 1, order.length);
        label = permute(label, renumbered);
        depth = permute(depth, renumbered);
        longestMatch = permute(longestMatch, renumbered);
        longGroup = permute(longGroup, renumbered);
        firstChild = permute(firstChild, renumbered);
        nextSibling = permute(nextSibling, renumbered);
        fail = permute(fail, renumbered);
        for (int s = 0; s < size; s++) {
            firstChild[s] = firstChild[s] == NONE ? NONE : number[firstChild[s]];
            nextSibling[s] = nextSibling[s] == NONE ? NONE : number[nextSibling[s]];
            fail[s] = number[fail[s]];
        }
        for (int c = 0; c < startChildren.length; c++) {
            startChildren[c] = startChildren[c] == NONE ? NONE : number[startChildren[c]];
        }
    }

    private static int[] permute(int[] values, int[] from) {
        int[] result = new int[from.length];
        for (int i = 0; i < from.length; i++) {
            result[i] = values[from[i]];
        }
        return result;
    }

    private static char[] permute(char[] values, int[] from) {
        char[] result = new char[from.length];
        for (int i = 0; i < from.length; i++) {
            result[i] = values[from[i]];
        }
        return result;
    }

    private void tabulateStartPairs() {
        for (int first = firstChild[START]; first != NONE; first = nextSibling[first]) {
            if (reports[first]) {
                pairsTell = false;
            }
            for (int second = firstChild[first]; second != NONE; second = nextSibling[second]) {
                startPairs[pair(label[first], label[second])] = true;
            }
        }
    }

    /** Fills the table rows of the start state and the states nearest it (the lowest numbers). */
    private void tabulateShallowStates() {
        int rows = 1;
        while (rows < size && rows < SHALLOW_ROWS && depth[rows] <= SHALLOW_DEPTH) {
            rows++;
        }
        int[] table = new int[rows * ASCII];
        for (int state = 0; state < rows; state++) {
            for (char c = 0; c < ASCII; c++) {
                table[state * ASCII + c] = next(state, c);
            }
        }
        shallow = table;
        shallowRows = rows;
    }

    /**
     * Sets the failure links breadth first, and lets each state inherit the longest match of its
     * failure state, so that a spelling inside a longer one is seen at its end too. Returns the
     * states other than the start in breadth-first order.
     */
    private int[] link() {
        int[] queue = new int[size - 1];
        int head = 0;
        int tail = 0;
        for (int child = firstChild[START]; child != NONE; child = nextSibling[child]) {
            queue[tail++] = child;
        }
        while (head < tail) {
            int s = queue[head++];
            if (longestMatch[s] == 0) {
                longestMatch[s] = longestMatch[fail[s]];
            }
            for (int child = firstChild[s]; child != NONE; child = nextSibling[child]) {
                fail[child] = next(fail[s], label[child]);
                queue[tail++] = child;
            }
        }
        return queue;
    }
}
