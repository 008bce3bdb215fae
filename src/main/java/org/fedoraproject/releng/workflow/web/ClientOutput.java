package org.fedoraproject.releng.workflow.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.server.Request;

/**
 * One stream client's connection, written without ever blocking (Servlet non-blocking output):
 * bytes go out only when the connection can take them, so a client that stops reading holds one
 * buffer and no thread. It remembers since when it could take nothing more, so that its follower
 * can drop a client that fell behind. Not thread-safe: its follower calls it under its own lock;
 * the container's callbacks only record and wake.
 */
final class ClientOutput implements WriteListener {

    private final HttpServletRequest request;
    private final ServletOutputStream out;
    private final Runnable wake;
    private volatile Throwable failure;
    private long blockedSince = -1;

    /** Must be called while the request is asynchronous: from then on writes never block. */
    ClientOutput(HttpServletRequest request, HttpServletResponse response, Runnable wake) throws IOException {
        this.request = request;
        this.wake = wake;
        this.out = response.getOutputStream();
        out.setWriteListener(this);
    }

    /**
     * True when a write may be made now; false while earlier bytes are still going out (the
     * container calls back, and {@code wake} runs, when they are) or after the connection failed.
     */
    boolean ready(long nowNanos) {
        if (failure != null) {
            return false;
        }
        if (out.isReady()) {
            blockedSince = -1;
            return true;
        }
        if (blockedSince < 0) {
            blockedSince = nowNanos;
        }
        return false;
    }

    /** How long the connection has been unable to take more; 0 when it can. */
    long blockedNanos(long nowNanos) {
        return blockedSince < 0 ? 0 : nowNanos - blockedSince;
    }

    /**
     * Only right after {@link #ready} said true (each write and flush needs its own yes);
     * {@code bytes} must not change afterwards, as they may go out later.
     */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Sends what the container buffered; only right after {@link #ready} said true. */
    void flush() throws IOException {
        out.flush();
    }

    /** Why the connection failed (the client went away), or null. */
    Throwable failure() {
        return failure;
    }

    /** Closes the connection at once, whatever is still unsent: the client gets no more time. */
    void abort(String why) {
        Request.getBaseRequest(request).getHttpChannel().abort(new IOException(why));
    }

    @Override
    public void onWritePossible() {
        wake.run();
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        wake.run();
    }
}
