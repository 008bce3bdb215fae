package org.fedoraproject.releng.workflow.messaging;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The messages waiting for the buses, in the order they were written, and each bus's place in
 * them. Messages are written with the run change they announce (see {@link JdbcOutbox#write}).
 */
public interface Outbox {

    /** A stored message with its place in the outbox. */
    record Entry(long id, Long runId, BusMessage message) {}

    /**
     * Hands the messages after {@code bus}'s cursor, oldest first, to {@code deliver} one at a
     * time, so that only one node delivers for a bus at once. The cursor advances past each message
     * {@code deliver} accepts; the first it refuses ends the batch, to be tried again. Returns how
     * many were accepted.
     */
    int deliver(String bus, int max, Function<Entry, Boolean> deliver);

    /** Messages not yet handed to {@code bus}. */
    long pending(String bus);

    /** The messages of one run, with whether each bus has had each. */
    List<Map<String, Object>> forRun(long runId, List<String> buses);
}
