package org.fedoraproject.releng.workflow.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedoraproject.releng.workflow.ansible.ProcessGroup;

/**
 * Runs in memory, for unit tests of what uses a repository: stores what it is given as the JDBC
 * repository does (a change only from the status it names; the admission inside the "lock"),
 * and keeps the announcements it was handed, in order, for tests to read.
 */
final class InMemoryRunRepository implements RunRepository {

    /** An announcement as the outbox would have it: with the run it is about. */
    record Announced(long runId, Announcement announcement) {}

    private final Map<Long, Run> runs = new TreeMap<>();
    private final Map<Long, String> secrets = new LinkedHashMap<>();
    private final Map<Long, TriggerMessage> messages = new LinkedHashMap<>();
    private final Map<Long, ProcessGroup> groups = new LinkedHashMap<>();
    private final Map<String, Long> numbers = new LinkedHashMap<>();
    private final List<RunTransition> history = new ArrayList<>();
    private final List<Announced> outbox = new ArrayList<>();
    private long nextId = 1;

    @Override
    public synchronized Run create(NewRun r, Optional<TriggerMessage> message, Admission admission) {
        admission.admit(r, new Admission.View() {
            @Override
            public Optional<Instant> lastMessageRunAt(String workflowId) {
                return runs.values().stream()
                        .filter(run -> run.workflowId().equals(workflowId))
                        .filter(run -> "message".equals(run.cause().type()))
                        .map(Run::queuedAt)
                        .max(Comparator.naturalOrder());
            }

            @Override
            public boolean hasMessage(String workflowId, String messageId) {
                return hasMessageFor(workflowId, messageId);
            }
        });
        if (message.isPresent() && hasMessageFor(r.workflowId(), message.get().id())) {
            throw new DuplicateMessageException("workflow `" + r.workflowId() + "` already has a run for message "
                    + message.get().id());
        }
        long number = numbers.merge(r.workflowId(), 1L, Long::sum);
        Run run = new Run(
                nextId++,
                r.workflowId(),
                number,
                r.status(),
                r.cause(),
                r.parameters(),
                r.at(),
                null,
                null,
                null,
                null,
                false,
                r.options());
        runs.put(run.id(), run);
        if (r.sealedSecrets() != null) {
            secrets.put(run.id(), r.sealedSecrets());
        }
        message.ifPresent(m -> messages.put(run.id(), m));
        history.add(new RunTransition(run.id(), null, r.status(), r.at(), r.actor(), r.reason()));
        return run;
    }

    private boolean hasMessageFor(String workflowId, String messageId) {
        return messages.entrySet().stream()
                .anyMatch(e -> e.getValue().id().equals(messageId)
                        && runs.get(e.getKey()).workflowId().equals(workflowId));
    }

    @Override
    public synchronized Optional<TriggerMessage> message(long runId) {
        return Optional.ofNullable(messages.get(runId));
    }

    @Override
    public synchronized Optional<Run> find(long id) {
        return Optional.ofNullable(runs.get(id));
    }

    @Override
    public synchronized Optional<Run> findByNumber(String workflowId, long number) {
        return runs.values().stream()
                .filter(r -> r.workflowId().equals(workflowId) && r.number() == number)
                .findFirst();
    }

    @Override
    public synchronized List<Run> list(RunQuery q) {
        return runs.values().stream()
                .filter(r -> q.workflow() == null || r.workflowId().equals(q.workflow()))
                .filter(r -> q.statuses().isEmpty() || q.statuses().contains(r.status()))
                .filter(r -> q.beforeId() == null || r.id() < q.beforeId())
                .filter(r -> q.onlyWorkflows() == null || q.onlyWorkflows().contains(r.workflowId()))
                .sorted(Comparator.comparingLong(Run::id).reversed())
                .limit(q.limit())
                .toList();
    }

    @Override
    public synchronized Map<String, Run> latestByWorkflow() {
        Map<String, Run> latest = new LinkedHashMap<>();
        runs.values().forEach(r -> latest.put(r.workflowId(), r));
        return latest;
    }

    @Override
    public synchronized Optional<Run> transition(Change change) {
        Run current = runs.get(change.runId());
        if (current == null || current.status() != change.from()) {
            return Optional.empty();
        }
        Run after = change.after();
        Run stored = new Run(
                after.id(),
                current.workflowId(),
                current.number(),
                after.status(),
                current.cause(),
                current.parameters(),
                current.queuedAt(),
                after.startedAt(),
                after.finishedAt(),
                after.exitCode(),
                after.node(),
                current.cancelRequested(),
                current.options());
        runs.put(stored.id(), stored);
        if (change.wipeSecrets()) {
            secrets.remove(stored.id());
        }
        history.add(change.record());
        change.announcements().forEach(a -> outbox.add(new Announced(stored.id(), a)));
        return Optional.of(stored);
    }

    @Override
    public synchronized Optional<Run> claim(Change change, int limit) {
        long running = runs.values().stream()
                .filter(r -> r.workflowId().equals(change.after().workflowId()) && r.status() == RunStatus.RUNNING)
                .count();
        return running >= limit ? Optional.empty() : transition(change);
    }

    @Override
    public synchronized List<Run> queued(String workflowId) {
        return runs.values().stream()
                .filter(r -> r.workflowId().equals(workflowId) && r.status() == RunStatus.QUEUED)
                .toList();
    }

    @Override
    public synchronized List<Run> active(String workflowId) {
        return runs.values().stream()
                .filter(r -> r.workflowId().equals(workflowId))
                .filter(r -> r.status() == RunStatus.QUEUED || r.status() == RunStatus.RUNNING)
                .toList();
    }

    @Override
    public synchronized List<Run> runningOn(String node) {
        return runs.values().stream()
                .filter(r -> r.status() == RunStatus.RUNNING && node.equals(r.node()))
                .toList();
    }

    @Override
    public synchronized List<Long> cancelRequestedOn(String node) {
        return runningOn(node).stream()
                .filter(Run::cancelRequested)
                .map(Run::id)
                .toList();
    }

    @Override
    public synchronized void requestCancel(long runId) {
        Run r = runs.get(runId);
        if (r != null) {
            runs.put(
                    runId,
                    new Run(
                            r.id(),
                            r.workflowId(),
                            r.number(),
                            r.status(),
                            r.cause(),
                            r.parameters(),
                            r.queuedAt(),
                            r.startedAt(),
                            r.finishedAt(),
                            r.exitCode(),
                            r.node(),
                            true,
                            r.options()));
        }
    }

    @Override
    public synchronized void recordProcessGroup(long runId, String node, ProcessGroup group) {
        Run r = runs.get(runId);
        if (r != null && r.status() == RunStatus.RUNNING && node.equals(r.node())) {
            groups.put(runId, group);
        }
    }

    @Override
    public synchronized Optional<ProcessGroup> processGroup(long runId) {
        return Optional.ofNullable(groups.get(runId));
    }

    @Override
    public synchronized Optional<String> sealedSecrets(long runId) {
        return Optional.ofNullable(secrets.get(runId));
    }

    @Override
    public synchronized void forgetSecrets(long runId) {
        secrets.remove(runId);
    }

    @Override
    public synchronized List<RunTransition> transitions(long runId) {
        return history.stream().filter(t -> t.runId() == runId).toList();
    }

    /** What was written to the "outbox", oldest first. */
    synchronized List<Announced> announced() {
        return List.copyOf(outbox);
    }

    /** Puts a run in a status directly, as a test's starting point (statuses nothing creates yet). */
    synchronized Run put(Run run) {
        runs.put(run.id(), run);
        nextId = Math.max(nextId, run.id() + 1);
        return run;
    }
}
