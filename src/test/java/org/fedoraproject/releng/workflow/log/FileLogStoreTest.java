package org.fedoraproject.releng.workflow.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogStoreTest {

    @TempDir
    Path dir;

    @Test
    void readsAreRangesOfWhatWasAppended() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(7)) {
            out.write("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(store.size(7)).isEqualTo(12);
        try (InputStream in = store.read(7, 6, 100)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("world\n");
        }
        try (InputStream in = store.read(8, 0, 10)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        assertThat(store.size(8)).isZero();
    }

    @Test
    void aHugeLogIsReadInConstantMemory() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        byte[] line = "TASK [something] ************************************** ok: [localhost]\n"
                .getBytes(StandardCharsets.UTF_8);
        long size = 0;
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = store.append(1)) {
            while (size < 256L << 20) {
                out.write(line);
                written.update(line);
                size += line.length;
            }
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = store.read(1, 0, store.size(1))) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                read.update(buffer, 0, n);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(read.digest()).isEqualTo(written.digest());
        // reading 256 MiB must not allocate anything near its size: it streams
        assertThat(allocated).isLessThan(8L << 20);
    }
}
