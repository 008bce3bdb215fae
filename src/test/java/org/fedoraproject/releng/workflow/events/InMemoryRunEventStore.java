package org.fedoraproject.releng.workflow.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps events in memory, for tests of what records them. */
final class InMemoryRunEventStore implements RunEventStore {

    final List<RunEvent> events = new CopyOnWriteArrayList<>();
    final Map<Long, RunSummary> summaries = new ConcurrentHashMap<>();

    @Override
    public void open(long runId) {
        summaries.putIfAbsent(runId, new RunSummary(RunSummary.State.OPEN, null, 0, false, List.of(), null));
    }

    @Override
    public void append(List<RunEvent> batch) {
        events.addAll(batch);
    }

    @Override
    public void save(long runId, RunSummary summary) {
        summaries.put(runId, summary);
    }

    @Override
    public Optional<RunSummary> summary(long runId) {
        return Optional.ofNullable(summaries.get(runId));
    }

    @Override
    public Map<Long, RunSummary> summaries(java.util.Collection<Long> runIds) {
        Map<Long, RunSummary> found = new java.util.HashMap<>();
        runIds.forEach(id -> summary(id).ifPresent(s -> found.put(id, s)));
        return found;
    }

    @Override
    public List<RunEvent> page(EventQuery query) {
        return new ArrayList<>(events);
    }

    @Override
    public List<TaskSummary> tasks(long runId, int limit) {
        return List.of();
    }
}
