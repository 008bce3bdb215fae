package org.fedoraproject.releng.workflow.log;

import java.util.List;

/**
 * Lines {@code from .. from + lines.size() - 1} of a log of {@code total} lines (1-based).
 * {@code times}: each line's arrival in epoch seconds (null entries where unknown), or null when
 * not asked for or never recorded; {@code next}: the line after the window, null at the end.
 */
public record LogWindow(long from, List<String> lines, List<Long> times, long total, Long next) {}
