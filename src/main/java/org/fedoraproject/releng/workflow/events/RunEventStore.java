package org.fedoraproject.releng.workflow.events;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the events of runs, and what they add up to, are kept. */
public interface RunEventStore {

    /** A run's events begin: its summary exists from now on, open until {@link #save} closes it. */
    void open(long runId);

    /** Appends a batch, in one transaction. */
    void append(List<RunEvent> events);

    void save(long runId, RunSummary summary);

    Optional<RunSummary> summary(long runId);

    /** The summaries of those of {@code runIds} that have one (a page of a history list), in one lookup. */
    Map<Long, RunSummary> summaries(Collection<Long> runIds);

    List<RunEvent> page(EventQuery query);

    /** The run's tasks in order, at most {@code limit}. */
    List<TaskSummary> tasks(long runId, int limit);
}
