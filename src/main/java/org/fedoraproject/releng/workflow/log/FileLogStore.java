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

/**
 * Logs as files under {@code <dataDir>/logs/<id / 1000>/<id>.log}. Several engine nodes sharing
 * PostgreSQL must share this directory too (e.g. on NFS) for every node to serve every log.
 */
public final class FileLogStore implements LogStore {

    private final Path dir;

    public FileLogStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory " + dir, e);
        }
    }

    Path file(long runId) {
        return dir.resolve(Long.toString(runId / 1000)).resolve(runId + ".log");
    }

    @Override
    public OutputStream append(long runId) throws IOException {
        Path file = file(runId);
        Files.createDirectories(file.getParent());
        return new BufferedOutputStream(
                Files.newOutputStream(
                        file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
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
