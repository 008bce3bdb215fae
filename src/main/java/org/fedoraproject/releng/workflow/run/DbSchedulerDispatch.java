package org.fedoraproject.releng.workflow.run;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queued runs as db-scheduler executions (one per run, instance id = run id): db-scheduler gives
 * cluster-safe claiming, a bounded pool of workers and heartbeats. A run held back by its
 * workflow's concurrency limit is rescheduled and woken when a slot frees; an execution whose
 * node stopped heartbeating is reported dead and its run marked {@code lost}.
 */
public final class DbSchedulerDispatch implements Dispatch, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DbSchedulerDispatch.class);
    static final String TASK = "releng-run";
    /** A waiting run looks again by itself this often, in case its wake-up was missed. */
    private static final Duration RETRY_WAITING = Duration.ofSeconds(5);

    private final Scheduler scheduler;
    private final CustomTask<Void> task;
    private final Clock clock;

    public record Settings(int workers, Duration pollingInterval, Duration heartbeat, Duration shutdownWait, String node) {}

    /** {@code moreTasks}: other engine tasks sharing the scheduler and its table (schedules). */
    public DbSchedulerDispatch(DataSource dataSource, RunExecutor executor, Settings settings, Clock clock,
            List<Task<?>> moreTasks) {
        this.clock = clock;
        this.task = Tasks.custom(TASK, Void.class)
                .onDeadExecution((complete, ops) -> {
                    long runId = Long.parseLong(complete.getExecution().taskInstance.getId());
                    executor.markLost(runId, "the node running it stopped answering (" + complete.getExecution().pickedBy + ")");
                    ops.remove();
                })
                .onFailure((complete, ops) -> {
                    log.error("dispatching run {} failed", complete.getExecution().taskInstance.getId(),
                            complete.getCause().orElse(null));
                    ops.reschedule(complete, clock.instant().plus(RETRY_WAITING));
                })
                .execute((instance, context) -> {
                    RunExecutor.Attempt attempt = executor.execute(Long.parseLong(instance.getId()));
                    if (attempt == RunExecutor.Attempt.WAIT) {
                        return (CompletionHandler<Void>) (complete, ops) ->
                                ops.reschedule(complete, clock.instant().plus(RETRY_WAITING));
                    }
                    return (complete, ops) -> ops.remove();
                });
        List<Task<?>> tasks = new java.util.ArrayList<>(moreTasks);
        tasks.add(task);
        this.scheduler = Scheduler.create(dataSource, tasks)
                .threads(settings.workers())
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeat())
                .shutdownMaxWait(settings.shutdownWait())
                .schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed(settings.node()))
                .enableImmediateExecution()
                .build();
    }

    public void start() {
        scheduler.start();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void dispatch(long runId) {
        scheduler.scheduleIfNotExists(new TaskInstance<Void>(TASK, Long.toString(runId)), clock.instant());
    }

    @Override
    public void wake(long runId) {
        TaskInstanceId id = TaskInstanceId.of(TASK, Long.toString(runId));
        try {
            scheduler.getScheduledExecution(id).filter(e -> !e.isPicked())
                    .ifPresent(e -> scheduler.reschedule(id, clock.instant()));
        } catch (RuntimeException e) {
            // it was picked meanwhile, or is gone: either way it needs no wake-up
            log.debug("wake of run {} not needed: {}", runId, e.getMessage());
        }
    }

    @Override
    public void forget(long runId) {
        TaskInstanceId id = TaskInstanceId.of(TASK, Long.toString(runId));
        try {
            if (scheduler.getScheduledExecution(id).filter(e -> !e.isPicked()).isPresent()) {
                scheduler.cancel(id);
            }
        } catch (RuntimeException e) {
            log.debug("forgetting run {}: {}", runId, e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
