package org.fedoraproject.releng.workflow;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine has built so far, closed last-first: by {@link Engine#close} and when starting
 * fails half-way, so that a failed start leaves no socket, thread or database open.
 */
final class StartedParts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StartedParts.class);

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    @Override
    public void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                // the parts after it hold their own resources: stop them all the same
                log.warn("stopping {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }
}
