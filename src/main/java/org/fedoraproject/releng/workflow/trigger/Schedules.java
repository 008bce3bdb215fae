package org.fedoraproject.releng.workflow.trigger;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.ScheduleAndData;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.fedoraproject.releng.workflow.catalog.Catalog;
import org.fedoraproject.releng.workflow.catalog.CronText;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.run.Run;
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

    private final ScheduleTask task;
    private final SchedulerClient client;

    /** {@code client}: the scheduler that runs {@code task}, so that due times start runs. */
    public Schedules(ScheduleTask task, SchedulerClient client) {
        this.task = task;
        this.client = client;
    }

    /** Starts the run for one due time, as the scheduler does when it is due. */
    Optional<Run> fire(WorkflowSchedule schedule, Instant due) {
        return task.fire(schedule, due);
    }

    /** Makes the scheduler's executions match the catalog's schedules. Called after every reload. */
    public void sync(Catalog catalog) {
        SchedulerClient c = client;
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
                    c.scheduleIfNotExists(task.task().schedulableInstance(w.id(), desired));
                } else if (!existing.get().isPicked()
                        && !desired.equals(existing.get().getData())) {
                    c.reschedule(task.task().schedulableInstance(w.id(), desired));
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
        return client.getScheduledExecution(TaskInstanceId.of(TASK, workflowId)).map(e -> e.getExecutionTime());
    }
}
