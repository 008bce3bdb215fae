package org.fedoraproject.releng.workflow.web;

/**
 * Told of every answered request (metrics). {@code route} is the pattern that matched, such as
 * {@code /api/runs/{id}}, or {@code (unmatched)}: never the raw path, whose values the caller chose.
 */
public interface RequestObserver {
    void answered(String method, String route, int status);
}
