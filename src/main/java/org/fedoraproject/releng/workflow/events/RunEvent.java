package org.fedoraproject.releng.workflow.events;

import java.time.Instant;

/**
 * One Ansible event of a run as stored: masked, and with {@code result} (JSON text, or null for a
 * {@code no_log} task) capped. {@code seq} counts from 1 in the order Ansible produced the events;
 * {@code line} is the 1-based console line where the event's output starts.
 */
public record RunEvent(
        long runId,
        int seq,
        String type,
        Instant at,
        String play,
        String task,
        String taskId,
        String taskPath,
        String role,
        String host,
        String action,
        boolean changed,
        boolean failed,
        boolean ignored,
        String item,
        Long durationMs,
        Integer line,
        String result) {

    /** The events that end a task on one host (the others announce, or belong to an item or a retry). */
    public static final java.util.Set<String> HOST_RESULTS =
            java.util.Set.of("runner_on_ok", "runner_on_failed", "runner_on_skipped", "runner_on_unreachable");

    /** AWX's type names, as the plugin sends them. */
    public static final java.util.Set<String> TYPES = java.util.Set.of(
            "playbook_on_start",
            "playbook_on_play_start",
            "playbook_on_task_start",
            "playbook_on_handler_task_start",
            "runner_on_ok",
            "runner_on_failed",
            "runner_on_skipped",
            "runner_on_unreachable",
            "runner_item_on_ok",
            "runner_item_on_failed",
            "runner_item_on_skipped",
            "runner_retry",
            "playbook_on_stats");
}
