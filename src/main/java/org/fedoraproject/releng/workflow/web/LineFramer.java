package org.fedoraproject.releng.workflow.web;

import java.io.ByteArrayOutputStream;

/**
 * Turns a log's bytes into one {@code message} frame per line, whose id is the byte offset just
 * after the line (where a resumed stream starts). An unfinished last line waits for its end, but
 * no longer than {@link #MAX_EVENT_BYTES}: a giant line goes out in pieces, so that a follower
 * never holds all of it.
 */
final class LineFramer {

    static final int MAX_EVENT_BYTES = 1 << 20;

    /** What an event costs beside its text, per line: the {@code data: } prefix and its LF. */
    private static final int PER_LINE = 7;

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final boolean batched;
    private long position;

    LineFramer(long start) {
        this(start, false);
    }

    private LineFramer(long start, boolean batched) {
        this.position = start;
        this.batched = batched;
    }

    /** Frames as many whole lines as fit the limit into one {@code lines} event (see LogStream). */
    static LineFramer batched(long start) {
        return new LineFramer(start, true);
    }

    /** The offset of the next byte to frame. */
    long position() {
        return position;
    }

    /**
     * Frames the lines in {@code bytes}, the log from {@link #position} on, until the frames
     * reach {@code limit} bytes (many short lines: the framing, not the log, fills a write); what
     * is left is read again next time.
     */
    void frame(byte[] bytes, ByteArrayOutputStream frames, int limit) {
        if (batched) {
            frameBatch(bytes, frames, limit);
            return;
        }
        int lineStart = 0;
        int consumed = bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                long id = position + i + 1;
                if (partial.size() > 0) {
                    partial.write(bytes, lineStart, i - lineStart);
                    byte[] line = partial.toByteArray();
                    partial.reset();
                    EventFrames.append(frames, "message", id, line, 0, line.length);
                } else {
                    EventFrames.append(frames, "message", id, bytes, lineStart, i - lineStart);
                }
                lineStart = i + 1;
                if (frames.size() >= limit) {
                    consumed = lineStart;
                    break;
                }
            }
        }
        partial.write(bytes, lineStart, consumed - lineStart);
        position += consumed;
        if (partial.size() >= MAX_EVENT_BYTES) {
            framePiece(frames);
        }
    }

    private void frameBatch(byte[] bytes, ByteArrayOutputStream frames, int limit) {
        int lineStart = 0;
        if (partial.size() > 0) {
            // the line carried over from the last read ends its own event
            int end = indexOf(bytes, 0);
            if (end < 0) {
                partial.write(bytes, 0, bytes.length);
                position += bytes.length;
                if (partial.size() >= MAX_EVENT_BYTES) {
                    framePiece(frames);
                }
                return;
            }
            partial.write(bytes, 0, end);
            byte[] line = partial.toByteArray();
            partial.reset();
            EventFrames.append(frames, "lines", position + end + 1, line, 0, line.length);
            lineStart = end + 1;
        }
        int lines = 0;
        int lastEnd = -1;
        boolean full = false;
        for (int i = lineStart; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines++;
                lastEnd = i;
                if (frames.size() + (i + 1 - lineStart) + (long) PER_LINE * lines >= limit) {
                    full = true;
                    break;
                }
            }
        }
        if (lines > 0) {
            EventFrames.append(frames, "lines", position + lastEnd + 1, bytes, lineStart, lastEnd - lineStart);
            lineStart = lastEnd + 1;
        }
        int consumed = full ? lineStart : bytes.length;
        partial.write(bytes, lineStart, consumed - lineStart);
        position += consumed;
        if (partial.size() >= MAX_EVENT_BYTES) {
            framePiece(frames);
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The log has ended: its unfinished last line, if any, is framed as it is. */
    void finish(ByteArrayOutputStream frames) {
        if (partial.size() > 0) {
            byte[] rest = partial.toByteArray();
            partial.reset();
            EventFrames.append(frames, type(), position, rest, 0, rest.length);
        }
    }

    private String type() {
        return batched ? "lines" : "message";
    }

    /** Frames most of a giant unfinished line, cut where no UTF-8 character is split. */
    private void framePiece(ByteArrayOutputStream frames) {
        byte[] line = partial.toByteArray();
        int cut = line.length;
        if ((line[cut - 1] & 0x80) != 0) {
            cut--;
            while (cut > 0 && (line[cut] & 0xC0) == 0x80) {
                cut--;
            }
            if (cut == 0) {
                cut = line.length; // not UTF-8 anyway
            }
        }
        EventFrames.append(frames, type(), position - (line.length - cut), line, 0, cut);
        partial.reset();
        partial.write(line, cut, line.length - cut);
    }
}
