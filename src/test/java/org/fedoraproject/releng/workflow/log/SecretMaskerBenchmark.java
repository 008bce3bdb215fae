package org.fedoraproject.releng.workflow.log;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How much masking costs next to copying: 50 MiB of log-like text, with 20 secrets of 8 to 4096
 * characters (some printed in it), goes through the pump's steps ({@code PlaybookRunner.pump}:
 * UTF-8 decoded in 8192-character chunks, encoded again, written), once without masking, once with.
 * Not a test (no timed tests): run by hand after {@code ./mvnw -o -q test-compile},
 * {@code java -cp target/classes:target/test-classes org.fedoraproject.releng.workflow.log.SecretMaskerBenchmark}.
 */
public final class SecretMaskerBenchmark {

    private static final int CHUNK = 8192;
    private static final int SIZE = 50 << 20;

    private SecretMaskerBenchmark() {}

    public static void main(String[] args) throws IOException {
        Random random = new Random(2026);
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int length = 8 << (i % 10);
            String secret = SecretMaskerTest.randomSecret(length, random);
            secrets.add(
                    i % 3 == 0 ? secret.substring(0, length / 2) + "\"ä'\\\n" + secret.substring(length / 2) : secret);
        }
        byte[] log = log(secrets, random).getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 5; round++) {
            long copy = time(log, null);
            long mask = time(log, new SecretMasker(secrets));
            System.out.printf(
                    "copy %d ms, mask %d ms, ratio %.2f%n", copy / 1_000_000, mask / 1_000_000, (double) mask / copy);
        }
    }

    private static String log(List<String> secrets, Random random) {
        String[] words = {
            "TASK",
            "[compose]",
            "ok:",
            "[localhost]",
            "=>",
            "{",
            "\"msg\":",
            "changed:",
            "pungi-koji",
            "--config",
            "/etc/pungi/fedora.conf",
            "rawhide",
            "x86_64",
            "aarch64",
            "2026-12-01",
            "09:49:58.146856",
            "}"
        };
        StringBuilder sb = new StringBuilder(SIZE + 8192);
        while (sb.length() < SIZE) {
            int n = 3 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                sb.append(words[random.nextInt(words.length)]).append(' ');
            }
            if (random.nextInt(2000) == 0) {
                sb.append(secrets.get(random.nextInt(secrets.size())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The pump's own work: UTF-8 in, decoded in chunks, (masked,) encoded, written to a buffered stream. */
    private static long time(byte[] log, SecretMasker masker) throws IOException {
        long start = System.nanoTime();
        CountingStream sink = new CountingStream();
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(log), StandardCharsets.UTF_8);
                OutputStream out = new BufferedOutputStream(sink, 64 * 1024)) {
            char[] buffer = new char[CHUNK];
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                String chunk = new String(buffer, 0, n);
                out.write((masker == null ? chunk : masker.feed(chunk)).getBytes(StandardCharsets.UTF_8));
            }
            if (masker != null) {
                out.write(masker.finish().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (sink.count == 0) {
            throw new IllegalStateException("nothing went through");
        }
        return System.nanoTime() - start;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
