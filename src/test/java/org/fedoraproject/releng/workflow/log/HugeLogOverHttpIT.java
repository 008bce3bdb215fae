package org.fedoraproject.releng.workflow.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import org.fedoraproject.releng.workflow.testsupport.ChildEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine whose whole heap is 64 MiB serves a 1 GiB console log, complete and intact: the log
 * is streamed, never held in memory.
 */
class HugeLogOverHttpIT {

    static final long GIB = 1L << 30;

    @TempDir
    Path home;

    @Test
    void oneGibibyteLogIsServedByAnEngineWithASixtyFourMebibyteHeap() throws Exception {
        try (ChildEngine engine = ChildEngine.start(home, "-Xmx64m")) {
            long id = engine.trigger("echo-params", "{}");
            await().atMost(Duration.ofSeconds(90)).until(() -> engine.status(id).equals("succeeded"));

            // grow the finished run's log to 1 GiB, as a very chatty playbook would
            Path log = home.resolve("data/logs/" + (id / 1000) + "/" + id + ".log");
            MessageDigest written = MessageDigest.getInstance("SHA-256");
            written.update(Files.readAllBytes(log));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < chunk.length; i += 100) {
                chunk[i] = '\n';
            }
            long size = Files.size(log);
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                while (size < GIB) {
                    out.write(chunk);
                    written.update(chunk);
                    size += chunk.length;
                }
            }

            HttpResponse<InputStream> served =
                    engine.get("/api/runs/" + id + "/log", HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest read = MessageDigest.getInstance("SHA-256");
            long count = 0;
            try (InputStream in = served.body()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    read.update(buffer, 0, n);
                    count += n;
                }
            }
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(count).isEqualTo(size);
            assertThat(read.digest()).isEqualTo(written.digest());
            // the run page embeds only the tail, so it stays small too
            HttpResponse<String> page = engine.get("/job/echo-params/1/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body().length()).isLessThan(400_000);
            assertThat(page.body()).contains("KiB skipped");
            assertThat(engine.isAlive()).isTrue();
            assertThat(engine.output()).doesNotContain("OutOfMemoryError");
        }
    }
}
