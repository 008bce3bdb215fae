package org.fedoraproject.releng.workflow.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sparse line index beside a log ({@code <id>.lines}): the byte offset at which every
 * {@value #STRIDE}th line starts, as 8-byte big-endian entries (entry k is where line
 * {@code k * STRIDE + 1} starts; line 1 starts at 0). It stays on disk and a lookup reads a
 * handful of entries, so nothing in memory grows with the log.
 *
 * <p>The writer of a log keeps it current while it writes and holds a file lock on it meanwhile.
 * When nobody writes (a log from before the index existed, or one grown by other means) a reader
 * brings the index up to date once, streaming the new part of the log in constant memory.
 */
final class LineIndex {

    static final int STRIDE = 1024;
    static final int ENTRY = Long.BYTES;
    private static final int SCAN = 256 * 1024;

    /** In-process readers take turns per run; the file lock keeps other processes out. */
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    /** A known position: {@code line} starts at byte {@code offset}. */
    record Mark(long line, long offset) {}

    /** What the index says about a log of {@code size} bytes: its line count and last entry. */
    record Extent(long size, long lines) {}

    private LineIndex() {}

    static ReentrantLock stripe(long runId) {
        return STRIPES[(int) Math.floorMod(runId, (long) STRIPES.length)];
    }

    /** The number of entries; a torn last entry (a writer that was killed) does not count. */
    static long entries(FileChannel index) throws IOException {
        return index.size() / ENTRY;
    }

    /** The start of line {@code k * STRIDE + 1}. */
    static long entry(FileChannel index, long k) throws IOException {
        if (k == 0) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.allocate(ENTRY);
        long at = (k - 1) * ENTRY;
        while (b.hasRemaining()) {
            if (index.read(b, at + b.position()) < 0) {
                throw new IOException("line index ends early");
            }
        }
        return b.getLong(0);
    }

    /** The indexed position nearest before {@code line} (1-based). */
    static Mark before(FileChannel index, long line) throws IOException {
        long k = Math.min((Math.max(line, 1) - 1) / STRIDE, entries(index));
        return new Mark(k * STRIDE + 1, entry(index, k));
    }

    /** The indexed position nearest before byte {@code offset}, by binary search. */
    static Mark beforeOffset(FileChannel index, long offset) throws IOException {
        long lo = 0;
        long hi = entries(index);
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (entry(index, mid) <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new Mark(lo * STRIDE + 1, entry(index, lo));
    }

    /**
     * Brings the index of {@code log} up to its current end when nobody is writing it, and counts
     * its lines. A log without a trailing newline counts its last, partial line.
     */
    static Extent refresh(long runId, Path log, Path indexFile) throws IOException {
        ReentrantLock stripe = stripe(runId);
        stripe.lock();
        try (FileChannel index = FileChannel.open(
                        indexFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel in = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = in.size();
            FileLock lock = tryLock(index);
            try {
                if (lock != null) {
                    dropIfStale(index, size);
                    return extend(index, in, size);
                }
                // a writer keeps the index current: only the tail after its last entry is counted
                Mark last = before(index, Long.MAX_VALUE);
                return new Extent(size, last.line() - 1 + countLines(in, last.offset(), size));
            } finally {
                if (lock != null) {
                    lock.release();
                }
            }
        } finally {
            stripe.unlock();
        }
    }

    private static FileLock tryLock(FileChannel index) throws IOException {
        try {
            return index.tryLock();
        } catch (OverlappingFileLockException e) {
            // this process is writing the log
            return null;
        }
    }

    /** A log that was replaced or cut is indexed afresh. */
    private static void dropIfStale(FileChannel index, long size) throws IOException {
        long n = entries(index);
        if (index.size() != n * ENTRY || (n > 0 && entry(index, n) > size)) {
            index.truncate(n > 0 && entry(index, n) <= size ? n * ENTRY : 0);
        }
    }

    /**
     * Scans from the last entry to {@code size}, appending an entry for every STRIDE-th line start;
     * the caller holds the file lock. Returns the line count.
     */
    static Extent extend(FileChannel index, FileChannel in, long size) throws IOException {
        long k = entries(index);
        long offset = entry(index, k);
        long newlines = k * STRIDE;
        ByteBuffer buffer = ByteBuffer.allocate(SCAN);
        ByteBuffer out = ByteBuffer.allocate(ENTRY * 512);
        long position = offset;
        boolean partial = false;
        while (position < size) {
            buffer.clear().limit((int) Math.min(SCAN, size - position));
            int n = in.read(buffer, position);
            if (n <= 0) {
                break;
            }
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    newlines++;
                    if (newlines % STRIDE == 0) {
                        out.putLong(position + i + 1);
                        if (!out.hasRemaining()) {
                            flush(index, out);
                        }
                    }
                }
            }
            partial = bytes[n - 1] != '\n';
            position += n;
        }
        flush(index, out);
        return new Extent(size, newlines + (partial ? 1 : 0));
    }

    static void flush(FileChannel index, ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            index.write(out, index.size());
        }
        out.clear();
    }

    /** Lines in {@code [from, to)}, the last one counted even without its newline. */
    static long countLines(FileChannel in, long from, long to) throws IOException {
        long newlines = newlines(in, from, to);
        if (to <= from) {
            return newlines;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        return newlines + (in.read(last, to - 1) == 1 && last.get(0) != '\n' ? 1 : 0);
    }

    /** Newline bytes in {@code [from, to)}. */
    static long newlines(FileChannel in, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(SCAN);
        long lines = 0;
        long position = from;
        while (position < to) {
            buffer.clear().limit((int) Math.min(SCAN, to - position));
            int n = in.read(buffer, position);
            if (n <= 0) {
                break;
            }
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    lines++;
                }
            }
            position += n;
        }
        return lines;
    }
}
