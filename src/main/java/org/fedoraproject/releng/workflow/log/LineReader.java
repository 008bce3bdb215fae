package org.fedoraproject.releng.workflow.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads a log line by line from a known position up to a fixed end, with one buffer. Lines longer
 * than {@link #MAX_LINE} bytes are cut (the rest is skipped), so a single enormous line cannot
 * fill the heap.
 */
final class LineReader {

    /** The longest part of one line that is returned; the rest is marked as cut. */
    static final int MAX_LINE = 8 * 1024;

    private static final int BUFFER = 256 * 1024;

    private final FileChannel in;
    private final long end;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private final byte[] line = new byte[MAX_LINE];
    private long bufferStart;
    private long position;
    private long lineNumber;
    private long lineOffset;
    private int lineLength;
    private long cut;

    LineReader(FileChannel in, LineIndex.Mark start, long end) {
        this.in = in;
        this.end = end;
        this.position = start.offset();
        this.bufferStart = start.offset();
        this.lineNumber = start.line() - 1;
        buffer.limit(0);
    }

    /** Moves to the next line; false at the end. */
    boolean next() throws IOException {
        if (position >= end) {
            return false;
        }
        lineNumber++;
        lineOffset = position;
        lineLength = 0;
        cut = 0;
        while (position < end) {
            if (!buffer.hasRemaining() && !fill()) {
                break;
            }
            byte[] bytes = buffer.array();
            int from = buffer.position();
            int limit = buffer.limit();
            int i = from;
            while (i < limit && bytes[i] != '\n') {
                i++;
            }
            int take = Math.min(i - from, MAX_LINE - lineLength);
            System.arraycopy(bytes, from, line, lineLength, take);
            lineLength += take;
            cut += (i - from) - take;
            boolean ended = i < limit;
            int consumed = i - from + (ended ? 1 : 0);
            buffer.position(from + consumed);
            position += consumed;
            if (ended) {
                break;
            }
        }
        return true;
    }

    /** Skips {@code n} lines; false when the log ends first. */
    boolean skip(long n) throws IOException {
        for (long i = 0; i < n; i++) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    private boolean fill() throws IOException {
        buffer.clear().limit((int) Math.min(BUFFER, end - position));
        bufferStart = position;
        int n = in.read(buffer, bufferStart);
        buffer.flip();
        return n > 0;
    }

    long number() {
        return lineNumber;
    }

    long offset() {
        return lineOffset;
    }

    /** Where the next line starts. */
    long position() {
        return position;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength;
    }

    /** The line as text: invalid UTF-8 is replaced, a trailing CR dropped, a cut said so. */
    String text() {
        int n = lineLength > 0 && cut == 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
        String text = new String(line, 0, n, StandardCharsets.UTF_8);
        return cut == 0 ? text : text + " [… " + cut + " more bytes of this line cut …]";
    }
}
