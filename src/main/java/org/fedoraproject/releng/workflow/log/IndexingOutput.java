package org.fedoraproject.releng.workflow.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends to a log and keeps its {@link LineIndex} and {@link LineTimes} current as it goes. The
 * side files are written after the log bytes they describe, so a reader never finds an entry
 * pointing past the end of the log.
 */
final class IndexingOutput extends OutputStream {

    private final FileChannel log;
    private final FileChannel index;
    private final FileChannel times;
    private final FileLock lock;
    private final Clock clock;
    private final ByteBuffer entries = ByteBuffer.allocate(LineIndex.ENTRY * 256);
    private long offset;
    private long newlines;
    private boolean atLineStart;
    private long lastSecond;

    IndexingOutput(long runId, Path logFile, Path indexFile, Path timesFile, Clock clock) throws IOException {
        this.clock = clock;
        this.log = FileChannel.open(
                logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        FileChannel idx = null;
        FileLock held = null;
        ReentrantLock stripe = LineIndex.stripe(runId);
        stripe.lock();
        try {
            idx = FileChannel.open(
                    indexFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            held = idx.tryLock();
            this.offset = log.size();
            if (held != null) {
                // catch up with what was written before (an earlier writer, or a log from before indexes)
                try (FileChannel in = FileChannel.open(logFile, StandardOpenOption.READ)) {
                    LineIndex.Extent extent = LineIndex.extend(idx, in, offset);
                    this.atLineStart = offset == 0 || lastByte(in, offset) == '\n';
                    this.newlines = atLineStart ? extent.lines() : extent.lines() - 1;
                }
            }
        } catch (OverlappingFileLockException e) {
            // another writer in this process has the index; readers count this log's tail instead
            held = null;
        } catch (IOException | RuntimeException e) {
            log.close();
            if (idx != null) {
                idx.close();
            }
            throw e;
        } finally {
            stripe.unlock();
        }
        this.lock = held;
        if (held == null) {
            if (idx != null) {
                idx.close();
            }
            this.index = null;
            this.times = null;
        } else {
            this.index = idx;
            this.times = LineTimes.open(timesFile);
            this.lastSecond = LineTimes.lastSecond(times);
        }
    }

    private static byte lastByte(FileChannel in, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        in.read(b, size - 1);
        return b.get(0);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(bytes, off, len);
        while (data.hasRemaining()) {
            log.write(data);
        }
        if (index == null || len == 0) {
            offset += len;
            return;
        }
        // the first line that begins within this write, if any
        long firstStart = atLineStart ? newlines + 1 : -1;
        for (int i = off, end = off + len; i < end; i++) {
            if (bytes[i] == '\n') {
                newlines++;
                if (firstStart < 0 && i < end - 1) {
                    firstStart = newlines + 1;
                }
                if (newlines % LineIndex.STRIDE == 0) {
                    entries.putLong(offset + (i - off) + 1);
                    if (!entries.hasRemaining()) {
                        LineIndex.flush(index, entries);
                    }
                }
            }
        }
        if (firstStart > 0) {
            stamp(firstStart);
        }
        atLineStart = bytes[off + len - 1] == '\n';
        offset += len;
        LineIndex.flush(index, entries);
    }

    /** Lines from {@code line} on began in this second (recorded only when the second changes). */
    private void stamp(long line) throws IOException {
        long now = clock.instant().getEpochSecond();
        if (now != lastSecond) {
            LineTimes.append(times, line, now);
            lastSecond = now;
        }
    }

    @Override
    public void close() throws IOException {
        try (log) {
            if (index != null) {
                LineIndex.flush(index, entries);
                lock.release();
                index.close();
                times.close();
            }
        }
    }
}
