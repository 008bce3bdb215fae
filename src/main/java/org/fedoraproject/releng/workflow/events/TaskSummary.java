package org.fedoraproject.releng.workflow.events;

/**
 * One task of a run as its events tell it: where it is, what happened on how many hosts, how long
 * its slowest host took, and the console lines of its start and of its first failure.
 */
public record TaskSummary(
        int seq,
        String taskId,
        String play,
        String task,
        String taskPath,
        String role,
        String action,
        boolean handler,
        Integer line,
        int ok,
        int changed,
        int failed,
        int ignored,
        int skipped,
        int unreachable,
        Long durationMs,
        Integer failedLine) {

    public int hosts() {
        return ok + failed + ignored + skipped + unreachable;
    }

    /** {@code unreachable}, {@code failed}, {@code changed}, {@code ok}, {@code skipped} or {@code running}. */
    public String status() {
        if (unreachable > 0) {
            return "unreachable";
        }
        if (failed > 0) {
            return "failed";
        }
        if (hosts() == 0) {
            return "running";
        }
        if (changed > 0) {
            return "changed";
        }
        return ok + ignored > 0 ? "ok" : "skipped";
    }

    public boolean broken() {
        return unreachable > 0 || failed > 0;
    }
}
