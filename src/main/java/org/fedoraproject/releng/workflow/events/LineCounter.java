package org.fedoraproject.releng.workflow.events;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Counts the lines written through it, so that an event can name the console line it belongs to. */
public final class LineCounter extends FilterOutputStream {

    private volatile long lines;

    public LineCounter(OutputStream out) {
        super(out);
    }

    public long lines() {
        return lines;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        if (b == '\n') {
            lines++;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        long n = 0;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        lines += n;
    }
}
