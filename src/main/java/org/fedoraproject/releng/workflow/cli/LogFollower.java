package org.fedoraproject.releng.workflow.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Follows a run's console with the progressive protocol ({@code ?start=N}, {@code X-Text-Size},
 * {@code X-More-Data}), like Jenkins' own console: plain requests, so a dropped connection or a
 * proxy that buffers streams costs nothing but one retry. Polls quickly while text arrives and
 * slows down to {@link #SLOWEST} while the run is quiet.
 */
final class LogFollower {

    static final Duration FASTEST = Duration.ofMillis(200);
    static final Duration SLOWEST = Duration.ofSeconds(2);

    private final EngineClient client;
    private final PrintWriter out;

    LogFollower(EngineClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    /** Prints the console from byte {@code start} until the run has ended and all of it is out. */
    void follow(long runId, long start) {
        // a UTF-8 character may be split across two answers: the decoder keeps the half it has
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer pending = ByteBuffer.allocate(0);
        long position = start;
        Duration pause = FASTEST;
        while (true) {
            EngineClient.LogChunk chunk = client.log(runId, position);
            if (chunk.bytes().length > 0) {
                pending = concat(pending, chunk.bytes());
                CharBuffer chars = CharBuffer.allocate(pending.remaining() + 1);
                decoder.decode(pending, chars, !chunk.more());
                chars.flip();
                out.print(chars);
                out.flush();
                pause = FASTEST;
            } else {
                pause = pause.multipliedBy(2).compareTo(SLOWEST) > 0 ? SLOWEST : pause.multipliedBy(2);
            }
            position = Math.max(position, chunk.next());
            if (!chunk.more()) {
                return;
            }
            pause(pause);
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "interrupted while following the run", e);
        }
    }

    private static ByteBuffer concat(ByteBuffer rest, byte[] more) {
        ByteBuffer b = ByteBuffer.allocate(rest.remaining() + more.length);
        b.put(rest).put(more).flip();
        return b;
    }
}
