package org.fedoraproject.releng.workflow.approval;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval sweep as a db-scheduler recurring task: the scheduler's table makes one node of a
 * cluster run it at a time, and its schedule outlives restarts, so a deadline passes while the
 * node that opened the wait is down just as well. A deadline is honoured within one {@link #EVERY}.
 */
public final class ApprovalTimeouts {

    public static final String TASK = "approval-timeouts";
    public static final Duration EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ApprovalTimeouts.class);

    private ApprovalTimeouts() {}

    public static RecurringTask<Void> task(ApprovalService approvals) {
        return Tasks.recurring(TASK, FixedDelay.of(EVERY)).execute((instance, context) -> {
            try {
                approvals.sweep();
            } catch (RuntimeException e) {
                // the next round tries again; a failing sweep must not stop the schedule
                log.warn("approval sweep failed: {}", e.toString(), e);
            }
        });
    }
}
