package org.fedoraproject.releng.workflow.events;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch of events adds to each task it touches: the task's start (when the batch holds
 * it) and the counts of its hosts' results. The store adds these to the tasks' stored summaries
 * in the batch's transaction, so that a summary never counts an event that was not stored. Events
 * without a task id belong to no task.
 */
final class TaskTally {

    final String taskId;
    RunEvent start;
    int ok;
    int changed;
    int failed;
    int ignored;
    int skipped;
    int unreachable;
    Long durationMs;
    Integer failedLine;

    private TaskTally(String taskId) {
        this.taskId = taskId;
    }

    /** The tallies of the tasks {@code batch} touches, in the order it first touches them. */
    static Collection<TaskTally> of(List<RunEvent> batch) {
        Map<String, TaskTally> tallies = new LinkedHashMap<>();
        for (RunEvent e : batch) {
            if (e.taskId() != null && (isStart(e) || RunEvent.HOST_RESULTS.contains(e.type()))) {
                tallies.computeIfAbsent(e.taskId(), TaskTally::new).add(e);
            }
        }
        return tallies.values();
    }

    static boolean isStart(RunEvent e) {
        return e.type().equals("playbook_on_task_start") || e.type().equals("playbook_on_handler_task_start");
    }

    private void add(RunEvent e) {
        if (isStart(e)) {
            if (start == null || e.seq() < start.seq()) {
                start = e;
            }
            return;
        }
        switch (e.type()) {
            case "runner_on_ok" -> ok++;
            case "runner_on_failed" -> {
                if (e.ignored()) {
                    ignored++;
                } else {
                    failed++;
                }
            }
            case "runner_on_skipped" -> skipped++;
            default -> unreachable++;
        }
        if (e.changed()) {
            changed++;
        }
        if (e.durationMs() != null && (durationMs == null || e.durationMs() > durationMs)) {
            durationMs = e.durationMs();
        }
        if (e.failed() && !e.ignored() && e.line() != null && (failedLine == null || e.line() < failedLine)) {
            failedLine = e.line();
        }
    }
}
