package org.fedoraproject.releng.workflow.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framing, as bytes. SSE ends a line at CR, LF or CRLF, so text is split at
 * LF into {@code data} lines and a CR is dropped: a log line cannot end its event early or add
 * fields of its own. Every event has a {@code data} line, even for an empty value, because
 * EventSource drops an event without one (a blank log line must still arrive).
 */
final class EventFrames {

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "\nevent: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    /** A comment line: EventSource ignores it; it shows the connection is alive. */
    static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private EventFrames() {}

    /** Appends one event whose data is {@code length} bytes of {@code text} from {@code offset}. */
    static void append(ByteArrayOutputStream out, String type, long id, byte[] text, int offset, int length) {
        out.writeBytes(ID);
        out.writeBytes(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(EVENT);
        out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(DATA);
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = text[i];
            if (b == '\n') {
                out.writeBytes(DATA);
            } else if (b != '\r') {
                out.write(b);
            }
        }
        out.writeBytes(END);
    }

    static void append(ByteArrayOutputStream out, String type, long id, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        append(out, type, id, bytes, 0, bytes.length);
    }
}
