package org.fedoraproject.releng.workflow.trigger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.fedoraproject.releng.workflow.EngineException;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.trigger.Schedules.WorkflowSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a workflow's due time does: the db-scheduler task that starts its run. Apart from the
 * {@link Schedules} facade because the scheduler that runs it is started with it, after the
 * RunService it starts runs through, while the facade needs that scheduler.
 */
public final class ScheduleTask {

    private static final Logger log = LoggerFactory.getLogger(ScheduleTask.class);

    private final RecurringTaskWithPersistentSchedule<WorkflowSchedule> task;
    private final MissedDueTimes missedDueTimes;
    private final RunService runs;

    public ScheduleTask(RunService runs, Clock clock) {
        this.runs = runs;
        this.missedDueTimes = new MissedDueTimes(clock);
        this.task = Tasks.recurringWithPersistentSchedule(Schedules.TASK, WorkflowSchedule.class)
                .execute((instance, context) -> fire(instance.getData(), context.getExecution().executionTime));
    }

    public RecurringTaskWithPersistentSchedule<WorkflowSchedule> task() {
        return task;
    }

    /** Starts the run for one due time; what cannot start is logged, never retried for that time. */
    Optional<Run> fire(WorkflowSchedule schedule, Instant due) {
        if (missedDueTimes.skips(schedule.missed(), due)) {
            log.warn(
                    "schedule of {}: due time {} was missed while the engine was down; skipped",
                    schedule.workflowId(),
                    due);
            return Optional.empty();
        }
        try {
            Run run = runs.trigger(
                    schedule.workflowId(),
                    JsonNodeFactory.instance.objectNode(),
                    new Cause("schedule", null, "due " + due + " (" + schedule.cron() + " " + schedule.zone() + ")"),
                    "schedule");
            return Optional.of(run);
        } catch (EngineException e) {
            log.warn("schedule of {}: no run for {}: {}", schedule.workflowId(), due, e.getMessage());
            return Optional.empty();
        }
    }
}
