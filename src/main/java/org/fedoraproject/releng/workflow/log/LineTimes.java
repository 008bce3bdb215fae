package org.fedoraproject.releng.workflow.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * When each line of a log arrived, at one-second resolution, beside the log ({@code <id>.times})
 * and not in its text, as Jenkins' Timestamper keeps them. A record (line, epoch second) says
 * "from this line on, lines arrived in this second"; one is written only when the second changes,
 * so the file grows with the run's duration, not with its output.
 */
final class LineTimes {

    private static final int RECORD = 2 * Long.BYTES;

    private LineTimes() {}

    static FileChannel open(Path file) throws IOException {
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        // a torn record from a killed writer is dropped
        channel.truncate(channel.size() / RECORD * RECORD);
        return channel;
    }

    static long lastSecond(FileChannel times) throws IOException {
        long n = times.size() / RECORD;
        return n == 0 ? Long.MIN_VALUE : record(times, n - 1)[1];
    }

    static void append(FileChannel times, long line, long second) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD).putLong(line).putLong(second).flip();
        while (b.hasRemaining()) {
            times.write(b, times.size());
        }
    }

    private static long[] record(FileChannel times, long i) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        while (b.hasRemaining()) {
            if (times.read(b, i * RECORD + b.position()) < 0) {
                throw new IOException("line times end early");
            }
        }
        return new long[] {b.getLong(0), b.getLong(Long.BYTES)};
    }

    /**
     * The arrival second of lines {@code from .. from + count - 1}, -1 for a line that arrived
     * before times were kept, or null when none were. Reads a binary search's worth of records, then the few in range.
     */
    static long[] of(Path file, long from, int count) throws IOException {
        if (count <= 0 || !Files.exists(file)) {
            return null;
        }
        try (FileChannel times = FileChannel.open(file, StandardOpenOption.READ)) {
            long n = times.size() / RECORD;
            if (n == 0) {
                return null;
            }
            long lo = 0;
            long hi = n - 1;
            while (lo < hi) {
                long mid = (lo + hi + 1) >>> 1;
                if (record(times, mid)[0] <= from) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            long[] result = new long[count];
            long[] current = record(times, lo);
            long i = lo + 1;
            long[] next = i < n ? record(times, i) : null;
            for (int k = 0; k < count; k++) {
                long line = from + k;
                while (next != null && next[0] <= line) {
                    current = next;
                    i++;
                    next = i < n ? record(times, i) : null;
                }
                // lines older than the first record (a log from before times were kept) have none
                result[k] = current[0] <= line ? current[1] : -1;
            }
            return result;
        }
    }
}
