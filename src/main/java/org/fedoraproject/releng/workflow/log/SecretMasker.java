package org.fedoraproject.releng.workflow.log;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values in a stream of text with {@value #MASK} before anything is stored, in
 * every spelling Ansible prints them ({@link SecretSpellings}), whatever their length.
 * <p>
 * One pass through a {@link SpellingAutomaton} finds every spelling that ends at each character;
 * where found spellings overlap or touch (one secret inside another, two secrets overlapping), the
 * whole stretch becomes one mask, so no part of either shows. Text is released as soon as no
 * later chunk could make it part of a spelling: what is held between chunks is only the end of the
 * text that is still the start of some spelling, never more than the longest spelling.
 */
public final class SecretMasker {

    public static final String MASK = "********";
    /**
     * Shorter secret values are refused when a run is started, and shorter lines of a secret are
     * not masked alone (see {@link SecretSpellings}): they would occur all over a log.
     */
    public static final int MIN_LENGTH = 6;

    private final SpellingAutomaton automaton;
    private final Stream stream;

    public SecretMasker(List<String> secrets) {
        Set<String> spellings = new LinkedHashSet<>();
        for (String secret : secrets) {
            spellings.addAll(SecretSpellings.of(secret));
        }
        this.automaton = new SpellingAutomaton(spellings);
        this.stream = new Stream();
    }

    public boolean isEmpty() {
        return automaton.longest() == 0;
    }

    /** Takes more text; returns the masked text that can be released now (possibly empty). */
    public String feed(CharSequence text) {
        return stream.feed(text, false);
    }

    /** The end of the stream: releases whatever is held. */
    public String finish() {
        return stream.feed("", true);
    }

    /** Masks one whole text on its own, apart from the stream that {@link #feed} takes. */
    public String mask(String text) {
        return new Stream().feed(text, true);
    }

    /** One stretch of text to mask: found spellings that overlap or touch, in stream positions. */
    private static final class Stretch {
        long from;
        long to;
        /** The mask is already in the output; the stretch may still grow at its end. */
        boolean written;

        Stretch(long from, long to) {
            this.from = from;
            this.to = to;
        }
    }

    /**
     * The state of one stream. Positions count characters from the start of the stream;
     * {@code held} holds the text from {@code base} on ({@code heldLength} characters),
     * {@code done} is where the output has got to, and {@code pending} the stretches found but not
     * yet final (sorted, apart). A stretch is final once no spelling that later text completes
     * could reach it.
     */
    private final class Stream {
        private char[] held = new char[0];
        private int heldLength;
        private final ArrayDeque<Stretch> pending = new ArrayDeque<>();
        private int state = SpellingAutomaton.START;
        private long base;
        private long done;

        String feed(CharSequence text, boolean last) {
            if (automaton.longest() == 0) {
                return text.toString();
            }
            int from = heldLength;
            hold(text);
            StringBuilder out = new StringBuilder(heldLength + MASK.length());
            for (int i = from; i < heldLength; i++) {
                state = automaton.next(state, held[i]);
                int found = automaton.longestMatch(state);
                if (found > 0) {
                    long end = base + i + 1;
                    cover(end - found, end);
                }
            }
            long end = base + heldLength;
            // spellings that later text completes start within the last depth(state) characters
            release(last ? end : end - automaton.depth(state), out);
            if (last) {
                state = SpellingAutomaton.START;
            }
            compact();
            return out.toString();
        }

        private void hold(CharSequence text) {
            int n = text.length();
            if (heldLength + n > held.length) {
                held = java.util.Arrays.copyOf(held, Math.max(heldLength + n, held.length * 2));
            }
            text.toString().getChars(0, n, held, heldLength);
            heldLength += n;
        }

        /** Adds a spelling found at {@code [from, to)}, merging the stretches it overlaps or touches. */
        private void cover(long from, long to) {
            Stretch merged = new Stretch(from, to);
            while (!pending.isEmpty() && pending.peekLast().to >= from) {
                Stretch last = pending.pollLast();
                if (last.from <= merged.from) {
                    merged.from = last.from;
                    merged.written = last.written;
                }
            }
            pending.addLast(merged);
        }

        /** Writes out everything before {@code safe}, the earliest start of a spelling still to come. */
        private void release(long safe, StringBuilder out) {
            while (!pending.isEmpty()) {
                Stretch first = pending.peekFirst();
                if (first.to <= safe) {
                    writeMask(first, out);
                    pending.pollFirst();
                    continue;
                }
                if (first.from < safe && !first.written) {
                    // it can only grow at its end now: its mask can go out, the text under it is dropped
                    writeMask(first, out);
                    first.written = true;
                }
                break;
            }
            long limit = pending.isEmpty() ? safe : Math.min(safe, pending.peekFirst().from);
            long to = keepPairs(limit);
            if (to > done) {
                write(to, out);
            }
        }

        private void writeMask(Stretch s, StringBuilder out) {
            if (!s.written) {
                write(s.from, out);
                out.append(MASK);
            }
            done = Math.max(done, s.to);
        }

        /** Writes the held text from {@code done} to {@code to}. */
        private void write(long to, StringBuilder out) {
            out.append(held, (int) (done - base), (int) (to - done));
            done = to;
        }

        /** Never releases half of a surrogate pair: the log is written as UTF-8, a pair at a time. */
        private long keepPairs(long to) {
            int at = (int) (to - base);
            if (to > done && at < heldLength && Character.isHighSurrogate(held[at - 1])) {
                return to - 1;
            }
            return to;
        }

        /**
         * Drops released text, but only once it is most of what is held, so that a long held
         * spelling start is not copied again for every small chunk.
         */
        private void compact() {
            int released = (int) (done - base);
            if (released > 0 && released >= heldLength / 2) {
                System.arraycopy(held, released, held, 0, heldLength - released);
                heldLength -= released;
                base = done;
            }
        }
    }
}
