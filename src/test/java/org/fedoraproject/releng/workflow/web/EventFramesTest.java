package org.fedoraproject.releng.workflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventFramesTest {

    private static String frame(String type, long id, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventFrames.append(out, type, id, text);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBlankLineStillHasADataLine() {
        assertThat(frame("message", 42, "")).isEqualTo("id: 42\nevent: message\ndata: \n\n");
    }

    @Test
    void carriageReturnsAreDroppedSoTheyCannotEndTheLine() {
        assertThat(frame("message", 7, "a\rb\r\revent: status\r"))
                .isEqualTo("id: 7\nevent: message\ndata: abevent: status\n\n");
    }

    @Test
    void newlinesBecomeSeveralDataLinesOfOneEvent() {
        assertThat(frame("status", 9, "one\n\ntwo"))
                .isEqualTo("id: 9\nevent: status\ndata: one\ndata: \ndata: two\n\n");
    }

    @Test
    void partOfAByteArrayIsFramed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] text = "xxhello\nyy".getBytes(StandardCharsets.UTF_8);
        EventFrames.append(out, "message", 8, text, 2, 5);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("id: 8\nevent: message\ndata: hello\n\n");
    }
}
