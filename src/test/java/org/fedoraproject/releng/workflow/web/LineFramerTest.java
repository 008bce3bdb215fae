package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private static String frame(LineFramer framer, String log, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        framer.frame(log.getBytes(StandardCharsets.UTF_8), out, limit);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachLineIsAnEventWhoseIdIsTheOffsetAfterIt() {
        LineFramer framer = new LineFramer(100);
        assertThat(frame(framer, "ab\n\ncd", 1 << 16))
                .isEqualTo("id: 103\nevent: message\ndata: ab\n\nid: 104\nevent: message\ndata: \n\n");
        assertThat(frame(framer, "e\n", 1 << 16)).isEqualTo("id: 108\nevent: message\ndata: cde\n\n");
        assertThat(framer.position()).isEqualTo(108);
    }

    @Test
    void batchedLinesShareOneEventWhoseIdIsTheOffsetAfterTheLastAndBlankLinesStay() {
        LineFramer framer = LineFramer.batched(100);
        assertThat(frame(framer, "ab\n\ncd", 1 << 16)).isEqualTo("id: 104\nevent: lines\ndata: ab\ndata: \n\n");
        // the carried-over line ends its own event, then the whole lines after it share one
        assertThat(frame(framer, "e\nf\n\n", 1 << 16))
                .isEqualTo("id: 108\nevent: lines\ndata: cde\n\nid: 111\nevent: lines\ndata: f\ndata: \n\n");
        assertThat(framer.position()).isEqualTo(111);
    }

    @Test
    void aBatchStopsAtTheLimitAndTheRestIsReadAgain() {
        LineFramer framer = LineFramer.batched(0);
        assertThat(frame(framer, "a\nb\nc\n", 12)).isEqualTo("id: 4\nevent: lines\ndata: a\ndata: b\n\n");
        assertThat(framer.position()).isEqualTo(4);
    }

    @Test
    void framingStopsAtTheLimitAndTheRestIsReadAgain() {
        LineFramer framer = new LineFramer(0);
        String first = frame(framer, "a\nb\nc\n", 1);
        assertThat(first).isEqualTo("id: 2\nevent: message\ndata: a\n\n");
        assertThat(framer.position()).isEqualTo(2);
    }

    @Test
    void theUnfinishedLastLineGoesOutWhenTheLogEnds() {
        LineFramer framer = new LineFramer(0);
        frame(framer, "x\nlast", 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        framer.finish(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("id: 6\nevent: message\ndata: last\n\n");
    }

    @Test
    void aGiantLineGoesOutInPiecesWithoutSplittingACharacter() {
        LineFramer framer = new LineFramer(0);
        byte[] giant = new byte[LineFramer.MAX_EVENT_BYTES + 1];
        Arrays.fill(giant, (byte) 'x');
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // three bytes, the last one past the limit
        System.arraycopy(euro, 0, giant, giant.length - 3, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        framer.frame(Arrays.copyOf(giant, giant.length - 1), out, 1 << 16);
        String piece = out.toString(StandardCharsets.UTF_8);
        assertThat(piece)
                .startsWith("id: " + (LineFramer.MAX_EVENT_BYTES - 2) + "\n")
                .doesNotContain("\uFFFD");

        out.reset();
        framer.frame(new byte[] {giant[giant.length - 1], '\n'}, out, 1 << 16);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("id: " + (LineFramer.MAX_EVENT_BYTES + 2) + "\nevent: message\ndata: €\n\n");
    }
}
