package org.fedoraproject.releng.workflow.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the lines of a log that contain a text or match a pattern, from a line on. Plain ASCII
 * text (the common case) is searched as bytes with Boyer-Moore-Horspool over large reads, and
 * line numbers are counted only near matches, from the nearest index entry; anything else is
 * matched line by line with {@link java.util.regex}, under a step budget per line so that a
 * pattern with catastrophic backtracking is refused instead of holding a thread.
 */
public final class LogSearch {

    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;
    static final int MAX_QUERY = 1000;
    private static final int CHUNK = 1 << 20;
    private static final Duration TIME_BUDGET = Duration.ofSeconds(10);

    /** {@code after}: the last line already seen (0 for the start); {@code limit} is capped. */
    public record Query(String text, boolean regex, boolean matchCase, long after, int limit) {
        public Query {
            if (text == null || text.isEmpty()) {
                throw new SearchRejectedException("q", "give the text to search for");
            }
            if (text.length() > MAX_QUERY) {
                throw new SearchRejectedException("q", "at most " + MAX_QUERY + " characters");
            }
            if (after < 0) {
                throw new SearchRejectedException("after", "must be 0 or more");
            }
            if (limit < 1) {
                throw new SearchRejectedException("limit", "must be 1 or more");
            }
            limit = Math.min(limit, MAX_LIMIT);
        }

        boolean bytewise() {
            return !regex && text.chars().allMatch(c -> c < 0x80);
        }

        Pattern pattern() {
            int flags = matchCase ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            try {
                return Pattern.compile(regex ? text : Pattern.quote(text), flags);
            } catch (PatternSyntaxException e) {
                throw new SearchRejectedException(
                        "q", "not a valid regular expression: " + e.getDescription() + " at index " + e.getIndex());
            }
        }
    }

    public record Match(long line, String text) {}

    /**
     * {@code next}: pass it as {@code after} for more matches, null when the search reached the end
     * of what was written; {@code timedOut}: the time budget ran out at {@code next}.
     */
    public record Result(List<Match> matches, Long next, boolean timedOut) {}

    private final FileChannel log;
    private final FileChannel index;
    private final long size;
    private final long deadline;

    LogSearch(FileChannel log, FileChannel index, long size) {
        this.log = log;
        this.index = index;
        this.size = size;
        this.deadline = System.nanoTime() + TIME_BUDGET.toNanos();
    }

    /** Validates the pattern before any reading, so a bad one is refused even on an empty log. */
    static void check(Query query) {
        if (!query.bytewise()) {
            query.pattern();
        }
    }

    Result run(Query query) throws IOException {
        LineIndex.Mark indexed = LineIndex.before(index, query.after() + 1);
        LineReader start = new LineReader(log, indexed, size);
        if (!start.skip(query.after() + 1 - indexed.line())) {
            return new Result(List.of(), null, false);
        }
        LineIndex.Mark from = new LineIndex.Mark(query.after() + 1, start.position());
        return query.bytewise() ? bytes(query, from) : lines(query, from);
    }

    private Result bytes(Query query, LineIndex.Mark from) throws IOException {
        byte[] needle = query.text().getBytes(StandardCharsets.US_ASCII);
        byte[] fold = fold(query.matchCase());
        for (int j = 0; j < needle.length; j++) {
            needle[j] = fold[needle[j] & 0xff];
        }
        int m = needle.length;
        int[] skip = skips(needle, fold);
        List<Match> matches = new ArrayList<>();
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        LineIndex.Mark cursor = from;
        long position = from.offset();
        int lastShift = skip[needle[m - 1] & 0xff];
        for (int b = 0; b < 256; b++) {
            if (fold[b] == needle[m - 1]) {
                skip[b] = 0;
            }
        }
        while (position + m <= size) {
            if (System.nanoTime() > deadline) {
                return new Result(matches, lineOf(cursor, position).line() - 1, true);
            }
            buffer.clear().limit((int) Math.min(CHUNK, size - position));
            int len = readFully(buffer, position);
            int i = 0;
            int found = -1;
            // one table lookup per step: a skip of 0 means "the last byte matches, compare the rest"
            while (i <= len - m) {
                int step = skip[chunk[i + m - 1] & 0xff];
                if (step == 0) {
                    if (same(chunk, i, needle, fold)) {
                        found = i;
                        break;
                    }
                    step = lastShift;
                }
                i += step;
            }
            if (found < 0) {
                if (len < m || position + len >= size) {
                    break;
                }
                position += len - (m - 1);
                continue;
            }
            LineIndex.Mark line = lineOf(cursor, position + found);
            LineReader reader = new LineReader(log, line, size);
            reader.next();
            matches.add(new Match(line.line(), reader.text()));
            cursor = new LineIndex.Mark(line.line() + 1, reader.position());
            position = reader.position();
            if (matches.size() == query.limit()) {
                return new Result(matches, position < size ? line.line() : null, false);
            }
        }
        return new Result(matches, null, false);
    }

    private int readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (log.read(buffer, position + buffer.position()) <= 0) {
                break;
            }
        }
        return buffer.position();
    }

    private static boolean same(byte[] chunk, int at, byte[] needle, byte[] fold) {
        for (int j = needle.length - 2; j >= 0; j--) {
            if (fold[chunk[at + j] & 0xff] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] fold(boolean matchCase) {
        byte[] fold = new byte[256];
        for (int b = 0; b < 256; b++) {
            fold[b] = (byte) (!matchCase && b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
        return fold;
    }

    private static int[] skips(byte[] needle, byte[] fold) {
        int m = needle.length;
        int[] shift = new int[256];
        java.util.Arrays.fill(shift, m);
        for (int j = 0; j < m - 1; j++) {
            shift[needle[j] & 0xff] = m - 1 - j;
        }
        int[] skip = new int[256];
        for (int b = 0; b < 256; b++) {
            skip[b] = shift[fold[b] & 0xff];
        }
        return skip;
    }

    /** The line holding byte {@code offset} and where it starts, counting from the nearest known mark. */
    private LineIndex.Mark lineOf(LineIndex.Mark cursor, long offset) throws IOException {
        LineIndex.Mark indexed = LineIndex.beforeOffset(index, offset);
        LineIndex.Mark at = indexed.offset() > cursor.offset() ? indexed : cursor;
        long line = at.line();
        long start = at.offset();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = at.offset();
        while (position < offset) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), offset - position));
            int n = log.read(buffer, position);
            if (n <= 0) {
                break;
            }
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    start = position + i + 1;
                }
            }
            position += n;
        }
        return new LineIndex.Mark(line, start);
    }

    private Result lines(Query query, LineIndex.Mark from) throws IOException {
        Pattern pattern = query.pattern();
        List<Match> matches = new ArrayList<>();
        LineReader reader = new LineReader(log, from, size);
        Budget budget = new Budget();
        while (reader.next()) {
            if ((reader.number() & 1023) == 0 && System.nanoTime() > deadline) {
                return new Result(matches, reader.number() - 1, true);
            }
            String text = new String(reader.bytes(), 0, reader.length(), StandardCharsets.UTF_8);
            budget.reset(text.length());
            Matcher matcher = pattern.matcher(new CountedChars(text, budget));
            boolean found;
            try {
                found = matcher.find();
            } catch (Budget.Exhausted e) {
                throw new SearchRejectedException(
                        "q",
                        "the pattern is too costly (catastrophic backtracking?): it gave up on line "
                                + reader.number());
            }
            if (found) {
                matches.add(new Match(reader.number(), reader.text()));
                if (matches.size() == query.limit()) {
                    return new Result(matches, reader.position() < size ? reader.number() : null, false);
                }
            }
        }
        return new Result(matches, null, false);
    }

    /** Character reads allowed for one line: generous for any linear pattern, far short of exponential. */
    static final class Budget {
        static final class Exhausted extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Exhausted() {
                super(null, null, false, false);
            }
        }

        private long left;

        void reset(int length) {
            left = 1_000_000L + 1_000L * length;
        }

        void spend() {
            if (--left < 0) {
                throw new Exhausted();
            }
        }
    }

    /** A line as the regex engine sees it, charging each character read to the budget. */
    private record CountedChars(String text, Budget budget) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            budget.spend();
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new CountedChars(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
