package org.fedoraproject.releng.workflow.log;

import java.util.Arrays;
import java.util.Collection;

/**
 * An Aho–Corasick automaton over every spelling of every secret: one step per character of the
 * log, whatever the number or length of the spellings (no rescanning, no per-secret passes).
 * <p>
 * States are ints, numbered breadth first; children are kept as sibling lists (most states have
 * one child, as spellings are long chains). The memory is about 22 bytes per character of
 * spelling, plus the tables below.
 */
final class SpellingAutomaton {

    static final int START = 0;
    private static final int NONE = -1;
    private static final int ASCII = 128;
    private static final int SHALLOW_DEPTH = 2;
    private static final int SHALLOW_ROWS = 1024;

    private char[] label = new char[64];
    private int[] firstChild = new int[64];
    private int[] nextSibling = new int[64];
    private int[] fail = new int[64];
    private int[] depth = new int[64];
    /** Length of the longest spelling that ends at this state, 0 when none does. */
    private int[] longestMatch = new int[64];
    /**
     * Where a log spends nearly all its time, at the start state and one or two characters into a
     * spelling, the next state for each ASCII character is looked up in one table row: no sibling
     * lists, no failure links, few branches to mispredict.
     */
    private int shallowRows;
    private int[] shallow;
    /** The start state's children for every character, as most log characters go through it. */
    private final int[] startChildren = new int[Character.MAX_VALUE + 1];
    private int size;
    private int longest;

    SpellingAutomaton(Collection<String> spellings) {
        Arrays.fill(startChildren, NONE);
        newState('\0', 0);
        for (String s : spellings) {
            add(s);
        }
        numberBreadthFirst(link());
        tabulateShallowStates();
    }

    /** Length of the longest spelling; 0 when there is none. */
    int longest() {
        return longest;
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

    /** Length of the longest spelling that ends with the last character read; 0 when none. */
    int longestMatch(int state) {
        return longestMatch[state];
    }

    private void add(String spelling) {
        if (spelling.isEmpty()) {
            return;
        }
        int s = START;
        for (int i = 0; i < spelling.length(); i++) {
            char c = spelling.charAt(i);
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
        longestMatch[s] = spelling.length();
        longest = Math.max(longest, spelling.length());
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
        }
        label[size] = c;
        firstChild[size] = NONE;
        nextSibling[size] = NONE;
        fail[size] = START;
        depth[size] = d;
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
