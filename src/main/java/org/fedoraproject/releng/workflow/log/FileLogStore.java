package org.fedoraproject.releng.workflow.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs as files under {@code <dataDir>/logs/<id / 1000>/<id>.log}. Several engine nodes sharing
 * PostgreSQL must share this directory too (e.g. on NFS) for every node to serve every log. Beside
 * each log are its line index ({@code <id>.lines}) and line arrival times ({@code <id>.times}).
 */
public final class FileLogStore implements LogStore {

    private final Path dir;
    private final Clock clock;

    public FileLogStore(Path dir) {
        this(dir, Clock.systemUTC());
    }

    /** {@code clock} stamps the arrival of lines. */
    public FileLogStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory " + dir, e);
        }
    }

    Path file(long runId) {
        return sideFile(runId, ".log");
    }

    private Path sideFile(long runId, String suffix) {
        return dir.resolve(Long.toString(runId / 1000)).resolve(runId + suffix);
    }

    @Override
    public OutputStream append(long runId) throws IOException {
        Path file = file(runId);
        Files.createDirectories(file.getParent());
        return new BufferedOutputStream(
                new IndexingOutput(runId, file, sideFile(runId, ".lines"), sideFile(runId, ".times"), clock),
                64 * 1024);
    }

    @Override
    public long size(long runId) {
        try {
            Path file = file(runId);
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream read(long runId, long start, long end) throws IOException {
        Path file = file(runId);
        if (!Files.exists(file)) {
            return InputStream.nullInputStream();
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long size = channel.size();
        long from = Math.max(0, Math.min(start, size));
        long to = Math.max(from, Math.min(end, size));
        channel.position(from);
        return new BoundedInputStream(Channels.newInputStream(channel), to - from);
    }

    @Override
    public LogWindow lines(long runId, long from, int count, boolean withTimes) throws IOException {
        if (from < 1 || count < 0) {
            throw new IllegalArgumentException("lines are counted from 1");
        }
        Path file = file(runId);
        if (!Files.exists(file)) {
            return new LogWindow(from, List.of(), null, 0, null);
        }
        LineIndex.Extent extent = LineIndex.refresh(runId, file, sideFile(runId, ".lines"));
        List<String> lines = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel index = FileChannel.open(sideFile(runId, ".lines"), StandardOpenOption.READ)) {
            LineIndex.Mark mark = LineIndex.before(index, from);
            LineReader reader = new LineReader(in, mark, extent.size());
            if (reader.skip(from - mark.line())) {
                while (lines.size() < count && reader.next()) {
                    lines.add(reader.text());
                }
            }
        }
        List<Long> times = null;
        long[] seconds = withTimes ? LineTimes.of(sideFile(runId, ".times"), from, lines.size()) : null;
        if (seconds != null) {
            times = new ArrayList<>(seconds.length);
            for (long s : seconds) {
                times.add(s < 0 ? null : s);
            }
        }
        long end = from + lines.size();
        return new LogWindow(from, lines, times, extent.lines(), end <= extent.lines() ? end : null);
    }

    @Override
    public long lineAt(long runId, long offset) throws IOException {
        Path file = file(runId);
        if (!Files.exists(file)) {
            return 0;
        }
        LineIndex.Extent extent = LineIndex.refresh(runId, file, sideFile(runId, ".lines"));
        long at = Math.max(0, Math.min(offset, extent.size()));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel index = FileChannel.open(sideFile(runId, ".lines"), StandardOpenOption.READ)) {
            LineIndex.Mark mark = LineIndex.beforeOffset(index, at);
            long line = mark.line() + LineIndex.newlines(in, mark.offset(), at);
            return Math.min(line, Math.max(extent.lines(), 1));
        }
    }

    @Override
    public LogSearch.Result search(long runId, LogSearch.Query query) throws IOException {
        LogSearch.check(query);
        Path file = file(runId);
        if (!Files.exists(file)) {
            return new LogSearch.Result(List.of(), null, false);
        }
        LineIndex.Extent extent = LineIndex.refresh(runId, file, sideFile(runId, ".lines"));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel index = FileChannel.open(sideFile(runId, ".lines"), StandardOpenOption.READ)) {
            return new LogSearch(in, index, extent.size()).run(query);
        }
    }

    /** Stops after {@code remaining} bytes, so a reader never sees what was written after it asked. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
