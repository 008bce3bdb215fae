package org.fedoraproject.releng.workflow.trigger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.ScheduleAndData;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.fedoraproject.releng.workflow.EngineException;
import org.fedoraproject.releng.workflow.catalog.Catalog;
import org.fedoraproject.releng.workflow.catalog.CronText;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workflow schedules as db-scheduler recurring executions, one per workflow (instance id = the
 * workflow id) with its cron kept in the row: db-scheduler's row locking makes every due time run
 * on exactly one engine node. A due time missed while every node was down is run once when an
 * engine comes back, or skipped, as the workflow's {@code schedule.missed} says.
 */
public final class Schedules {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);
    public static final String TASK = "releng-schedule";

    /** What the scheduler stores for a workflow; equal values mean the schedule did not change. */
    public record WorkflowSchedule(String workflowId, String cron, String zone, String missed)
            implements ScheduleAndData {
        @Override
        public Schedule getSchedule() {
            return CronText.schedule(cron, zone);
        }

        @Override
        public Object getData() {
            return workflowId;
        }
    }

    private final RecurringTaskWithPersistentSchedule<WorkflowSchedule> task;
    private final MissedDueTimes missedDueTimes;
    private volatile RunService runs;
    private volatile SchedulerClient client;

    public Schedules(Clock clock) {
        this.missedDueTimes = new MissedDueTimes(clock);
        this.task = Tasks.recurringWithPersistentSchedule(TASK, WorkflowSchedule.class)
                .execute((instance, context) -> fire(instance.getData(), context.getExecution().executionTime));
    }

    public RecurringTaskWithPersistentSchedule<WorkflowSchedule> task() {
        return task;
    }

    /** Late binding: the scheduler holding the task is built before the service that starts runs. */
    public void attach(RunService runs, SchedulerClient client) {
        this.runs = runs;
        this.client = client;
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

    /** Makes the scheduler's executions match the catalog's schedules. Called after every reload. */
    public void sync(Catalog catalog) {
        SchedulerClient c = client;
        if (c == null) {
            return;
        }
        Set<String> wanted = new HashSet<>();
        for (WorkflowDefinition w : catalog.workflows()) {
            if (w.schedule().isEmpty()) {
                continue;
            }
            wanted.add(w.id());
            WorkflowDefinition.Schedule s = w.schedule().get();
            WorkflowSchedule desired = new WorkflowSchedule(w.id(), s.cron(), s.timezone(), s.missed());
            var existing = c.getScheduledExecution(TaskInstanceId.of(TASK, w.id()));
            try {
                if (existing.isEmpty()) {
                    c.scheduleIfNotExists(task.schedulableInstance(w.id(), desired));
                } else if (!existing.get().isPicked()
                        && !desired.equals(existing.get().getData())) {
                    c.reschedule(task.schedulableInstance(w.id(), desired));
                    log.info("schedule of {} changed to {} {}", w.id(), s.cron(), s.timezone());
                }
            } catch (RuntimeException e) {
                // another node did the same a moment earlier
                log.debug("schedule of {} not updated here: {}", w.id(), e.getMessage());
            }
        }
        // the definitions of broken workflows may come back; keep their schedules until removed
        catalog.broken().forEach(b -> wanted.add(b.id()));
        c.fetchScheduledExecutionsForTask(TASK, WorkflowSchedule.class, execution -> {
            String id = execution.getTaskInstance().getId();
            if (!wanted.contains(id) && !execution.isPicked()) {
                try {
                    c.cancel(execution.getTaskInstance());
                    log.info("schedule of {} removed", id);
                } catch (RuntimeException e) {
                    log.debug("schedule of {} not removed here: {}", id, e.getMessage());
                }
            }
        });
    }

    /** When the workflow's schedule next starts a run, if it has one. */
    public Optional<Instant> nextDue(String workflowId) {
        SchedulerClient c = client;
        if (c == null) {
            return Optional.empty();
        }
        return c.getScheduledExecution(TaskInstanceId.of(TASK, workflowId)).map(e -> e.getExecutionTime());
    }
}
