package org.fedoraproject.releng.workflow.cli;

/**
 * The exit codes of {@code releng}, a public contract for scripts (docs/cli.md). A followed run's
 * final status maps to its own code, so a shell script can tell a failure from a cancellation.
 */
enum ExitCode {
    OK(0),
    RUN_FAILED(1),
    USAGE(2),
    RUN_CANCELLED(3),
    RUN_TIMED_OUT(4),
    RUN_LOST(5),
    NOT_AUTHORIZED(6),
    NOT_FOUND(7),
    CONFLICT(8),
    UNREACHABLE(9),
    INTERNAL(70);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The code for a run that ended with {@code status}; unknown statuses count as failures. */
    static ExitCode ofRunStatus(String status) {
        return switch (status) {
            case "succeeded" -> OK;
            case "cancelled" -> RUN_CANCELLED;
            case "timed_out" -> RUN_TIMED_OUT;
            case "lost" -> RUN_LOST;
            default -> RUN_FAILED;
        };
    }

    static boolean isFinal(String status) {
        return switch (status) {
            case "succeeded", "failed", "cancelled", "timed_out", "lost", "rejected" -> true;
            default -> false;
        };
    }
}
