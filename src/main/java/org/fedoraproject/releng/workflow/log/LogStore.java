package org.fedoraproject.releng.workflow.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Console logs, one per run, written while the run executes and readable at any time. Reads are
 * streams over a byte range so that no log is ever held whole in memory.
 */
public interface LogStore {

    /** Appends to the run's log (creating it); the caller closes it when the run ends. */
    OutputStream append(long runId) throws IOException;

    /** Bytes stored so far; 0 when there is no log yet. */
    long size(long runId);

    /** The bytes {@code [start, end)} of the log, clamped to what exists. */
    InputStream read(long runId, long start, long end) throws IOException;

    /**
     * Up to {@code count} lines from line {@code from} (1-based), found by a seek in the line
     * index, with the total line count; {@code withTimes} adds when each line arrived.
     */
    LogWindow lines(long runId, long from, int count, boolean withTimes) throws IOException;

    /** The line (1-based) that holds byte {@code offset}; 0 for an empty log. */
    long lineAt(long runId, long offset) throws IOException;

    /** The lines matching {@code query} in what is written so far. */
    LogSearch.Result search(long runId, LogSearch.Query query) throws IOException;
}
