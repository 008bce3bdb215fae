package org.fedoraproject.releng.workflow.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineIndexTest {

    @TempDir
    Path dir;

    private static void writeLines(OutputStream out, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theIndexIsWrittenWhileTheLogIsWritten() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(3)) {
            writeLines(out, 1, 5000);
        }
        // entries for lines 1025, 2049, 3073 and 4097, before anyone read the log
        assertThat(Files.size(dir.resolve("0/3.lines"))).isEqualTo(4 * 8);
        LogWindow window = store.lines(3, 4096, 3, false);
        assertThat(window.lines()).containsExactly("line 4096", "line 4097", "line 4098");
        assertThat(window.total()).isEqualTo(5000);
        assertThat(window.next()).isEqualTo(4099);
    }

    @Test
    void aWindowAtTheEndHasNoNextAndAPartialLastLineCounts() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(4)) {
            writeLines(out, 1, 2047);
            out.write("no newline yet".getBytes(StandardCharsets.UTF_8));
        }
        LogWindow window = store.lines(4, 2047, 10, false);
        assertThat(window.lines()).containsExactly("line 2047", "no newline yet");
        assertThat(window.total()).isEqualTo(2048);
        assertThat(window.next()).isNull();
        assertThat(store.lines(4, 5000, 10, false).lines()).isEmpty();
    }

    @Test
    void aLogWrittenInSeveralSittingsIsIndexedAsOne() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(5)) {
            writeLines(out, 1, 1000);
            out.write("line 1001 begins".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = store.append(5)) {
            out.write(" and ends\n".getBytes(StandardCharsets.UTF_8));
            writeLines(out, 1002, 3000);
        }
        assertThat(Files.size(dir.resolve("0/5.lines"))).isEqualTo(2 * 8);
        assertThat(store.lines(5, 1001, 1, false).lines()).containsExactly("line 1001 begins and ends");
        assertThat(store.lines(5, 2049, 1, false).lines()).containsExactly("line 2049");
        assertThat(store.lines(5, 1, 1, false).total()).isEqualTo(3000);
    }

    @Test
    void aLogFromBeforeIndexesIsIndexedOnceInConstantMemory() throws Exception {
        Path log = dir.resolve("0/9.log");
        Files.createDirectories(log.getParent());
        byte[] line = "TASK [something] ************************************** ok: [localhost]\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[line.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(line, 0, block, i * line.length, line.length);
        }
        long lines = 0;
        try (OutputStream out = Files.newOutputStream(log)) {
            while (lines < 2_000_000) {
                out.write(block);
                lines += 1000;
            }
            out.write("the last line\n".getBytes(StandardCharsets.UTF_8));
        }
        FileLogStore store = new FileLogStore(dir);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        LogWindow window = store.lines(9, 2_000_001, 5, false);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(window.lines()).containsExactly("the last line");
        assertThat(window.total()).isEqualTo(2_000_001);
        assertThat(allocated).isLessThan(8L << 20);
        assertThat(Files.size(dir.resolve("0/9.lines"))).isEqualTo(2_000_001 / 1024 * 8);
    }

    @Test
    void linesAppendedBehindTheWritersBackAreIndexedByTheNextReader() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(6)) {
            writeLines(out, 1, 10);
        }
        try (OutputStream raw = Files.newOutputStream(dir.resolve("0/6.log"), StandardOpenOption.APPEND)) {
            writeLines(raw, 11, 4000);
        }
        assertThat(store.lines(6, 3999, 5, false).lines()).containsExactly("line 3999", "line 4000");
        assertThat(Files.size(dir.resolve("0/6.lines"))).isEqualTo(3 * 8);
    }

    @Test
    void aReplacedLogIsIndexedAfresh() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(7)) {
            writeLines(out, 1, 5000);
        }
        Files.writeString(dir.resolve("0/7.log"), "only\ntwo\n");
        LogWindow window = store.lines(7, 1, 10, false);
        assertThat(window.lines()).containsExactly("only", "two");
        assertThat(window.total()).isEqualTo(2);
    }

    @Test
    void aHugeLineIsCut() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(8)) {
            out.write("short\n".getBytes(StandardCharsets.UTF_8));
            out.write("y".repeat(1_000_000).getBytes(StandardCharsets.UTF_8));
            out.write("\nafter\n".getBytes(StandardCharsets.UTF_8));
        }
        LogWindow window = store.lines(8, 1, 10, false);
        assertThat(window.lines()).hasSize(3);
        assertThat(window.lines().get(1))
                .startsWith("yyyy")
                .endsWith("[… " + (1_000_000 - LineReader.MAX_LINE) + " more bytes of this line cut …]");
        assertThat(window.lines().get(2)).isEqualTo("after");
    }

    @Test
    void eachLineKeepsTheSecondItArrived() throws Exception {
        SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-12-01T10:00:00.400Z"));
        FileLogStore store = new FileLogStore(dir, clock);
        try (OutputStream out = store.append(10)) {
            writeLines(out, 1, 2);
            out.flush();
            clock.advance(Duration.ofMillis(300));
            out.write("line 3 starts".getBytes(StandardCharsets.UTF_8));
            out.flush();
            clock.advance(Duration.ofSeconds(5));
            out.write(" and ends later\n".getBytes(StandardCharsets.UTF_8));
            writeLines(out, 4, 4);
            out.flush();
        }
        long t0 = Instant.parse("2026-12-01T10:00:00Z").getEpochSecond();
        LogWindow window = store.lines(10, 2, 3, true);
        assertThat(window.lines()).containsExactly("line 2", "line 3 starts and ends later", "line 4");
        assertThat(window.times()).containsExactly(t0, t0, t0 + 5);
        // the side file grows with distinct seconds, not lines
        assertThat(Files.size(dir.resolve("0/10.times"))).isEqualTo(2 * 16);
        assertThat(store.lines(10, 1, 4, false).times()).isNull();
    }

    @Test
    void theLineOfAByteOffset() throws Exception {
        FileLogStore store = new FileLogStore(dir);
        try (OutputStream out = store.append(11)) {
            writeLines(out, 1, 3000);
        }
        long offset = 0;
        for (int i = 1; i < 2500; i++) {
            offset += ("line " + i + "\n").length();
        }
        assertThat(store.lineAt(11, offset)).isEqualTo(2500);
        assertThat(store.lineAt(11, offset + 3)).isEqualTo(2500);
        assertThat(store.lineAt(11, 0)).isEqualTo(1);
        assertThat(store.lineAt(12, 0)).isZero();
    }
}
