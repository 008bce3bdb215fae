package org.fedoraproject.releng.workflow.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces secret values in a stream of text with {@value #MASK} before anything is stored, in
 * every spelling Ansible prints them ({@link SecretSpellings}), whatever their length.
 * <p>
 * One pass through a {@link SpellingAutomaton} over the spellings' first {@value #PREFIX_LENGTH}
 * characters finds the short spellings and where a long one may start; {@link Candidates} checks
 * the rest of a long one against the text that follows. Where found spellings overlap or touch
 * (one secret inside another, two secrets overlapping), the whole stretch becomes one mask, so no
 * part of either shows. Text is released as soon as no later chunk could make it part of a
 * spelling: what is held between chunks is only the end of the text that is still the start of
 * some spelling (a candidate not yet confirmed or refuted included), never more than the longest
 * spelling.
 * <p>
 * Memory: the secrets, once each (their spellings are produced on demand), plus about 27 bytes
 * per prefix character in the automaton, whatever the secrets' length. Text without a secret costs a table look-up per
 * character: characters that start no spelling are passed over in a tight loop.
 */
public final class SecretMasker {

    public static final String MASK = "********";
    /**
     * Shorter secret values are refused when a run is started, and shorter lines of a secret are
     * not masked alone (see {@link SecretSpellings}): they would occur all over a log.
     */
    public static final int MIN_LENGTH = 6;
    /**
     * How much of each spelling the automaton holds: long enough that a prefix seldom occurs in a
     * log by chance (so candidates are rare), short enough that the automaton stays small.
     */
    static final int PREFIX_LENGTH = 64;

    private final SpellingAutomaton automaton;
    private final Stream stream;

    public SecretMasker(List<String> secrets) {
        this(secrets, PREFIX_LENGTH);
    }

    /** With another prefix length: tests use short ones so that every spelling is a long one. */
    SecretMasker(List<String> secrets, int prefixLength) {
        List<Spelling> spellings = new ArrayList<>();
        for (String secret : secrets) {
            spellings.addAll(SecretSpellings.of(secret, prefixLength));
        }
        this.automaton = new SpellingAutomaton(SecretSpellings.distinct(spellings), prefixLength);
        this.stream = new Stream();
    }

    /** The automaton's size, for tests of the memory bound. */
    int automatonStates() {
        return automaton.states();
    }

    /** How many distinct spellings are masked, for tests of the memory bound. */
    int spellings() {
        return automaton.spellings();
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
        private final Candidates candidates = new Candidates(automaton);
        private int state = SpellingAutomaton.START;
        private long base;
        private long done;

        String feed(CharSequence text, boolean last) {
            if (automaton.longest() == 0) {
                return text.toString();
            }
            int from = heldLength;
            hold(text);
            scan(from);
            long end = base + heldLength;
            // spellings that later text completes start within the last depth(state) characters,
            // or where a candidate being checked starts
            long safe = Math.min(end - automaton.depth(state), candidates.earliestStart(end));
            Output out = new Output();
            release(last ? end : safe, last, out);
            if (last) {
                state = SpellingAutomaton.START;
                candidates.clear();
            }
            String released = out.toString();
            compact();
            return released;
        }

        /** Runs the held text from {@code from} through the automaton and the candidates. */
        private void scan(int from) {
            int i = from;
            while (i < heldLength) {
                if (candidates.isEmpty()) {
                    long run = automaton.run(held, i, heldLength, state);
                    int stop = SpellingAutomaton.position(run);
                    state = SpellingAutomaton.state(run);
                    if (stop > i && automaton.reports(state)) {
                        found(base + stop, 0);
                    }
                    i = stop;
                } else {
                    char c = held[i++];
                    long end = base + i;
                    int confirmed = candidates.step(c, end);
                    state = automaton.next(state, c);
                    found(end, confirmed);
                }
            }
        }

        /**
         * What ends at {@code end}: a long spelling the candidates confirmed ({@code confirmed}
         * characters), a short one the automaton found, a prefix from which long ones may start.
         */
        private void found(long end, int confirmed) {
            int found = Math.max(confirmed, automaton.longestMatch(state));
            int group = automaton.longGroup(state);
            if (group >= 0) {
                candidates.start(group, end);
            }
            if (found > 0) {
                cover(end - found, end);
            }
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

        /**
         * Writes out everything before {@code safe}, the earliest start of a spelling still to come.
         * A stretch that ends at {@code safe} is not final until the stream ends: a spelling that
         * starts there would touch it, and must join its mask rather than make a second one.
         */
        private void release(long safe, boolean last, Output out) {
            while (!pending.isEmpty()) {
                Stretch first = pending.peekFirst();
                if (first.to < safe || last) {
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

        private void writeMask(Stretch s, Output out) {
            if (!s.written) {
                write(s.from, out);
                out.mask();
            }
            done = Math.max(done, s.to);
        }

        /** Writes the held text from {@code done} to {@code to}. */
        private void write(long to, Output out) {
            out.text(held, (int) (done - base), (int) (to - done));
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

    /**
     * What one call releases. Mostly a single run of held text with no mask in it: that becomes a
     * String in one copy, without going through a builder.
     */
    private static final class Output {
        private char[] text;
        private int offset;
        private int length;
        private StringBuilder built;

        void text(char[] source, int from, int n) {
            if (n == 0) {
                return;
            }
            if (built == null && text == null) {
                text = source;
                offset = from;
                length = n;
                return;
            }
            builder().append(source, from, n);
        }

        void mask() {
            builder().append(MASK);
        }

        private StringBuilder builder() {
            if (built == null) {
                built = new StringBuilder(length + MASK.length() + 64);
                if (text != null) {
                    built.append(text, offset, length);
                }
            }
            return built;
        }

        @Override
        public String toString() {
            if (built != null) {
                return built.toString();
            }
            return text == null ? "" : new String(text, offset, length);
        }
    }
}
