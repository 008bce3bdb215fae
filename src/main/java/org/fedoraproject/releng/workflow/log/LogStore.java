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
}
