package org.fedoraproject.releng.workflow.run;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * node stopped heartbeating is reported dead and its run marked {@code lost}, or tried again when
 * the run was still queued (its node died while checking the limit).
 */
public final class DbSchedulerDispatch implements Dispatch, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DbSchedulerDispatch.class);
    static final String TASK = "releng-run";
    /** A waiting run looks again by itself this often, in case its wake-up was missed. */
    private static final Duration RETRY_WAITING = Duration.ofSeconds(5);

    private final CustomTask<Void> task;
    private final Settings settings;
    /**
     * Built by {@link #start}: the scheduler also runs the engine's other tasks (schedules), and
     * those start runs through the RunService that needs this dispatch, so they exist only later.
     */
    private volatile Scheduler scheduler;

    private final Clock clock;
    private final DataSource dataSource;
    private final String node;

    public record Settings(
            int workers, Duration pollingInterval, Duration heartbeat, Duration shutdownWait, String node) {}

    public DbSchedulerDispatch(DataSource dataSource, RunExecutor executor, Settings settings, Clock clock) {
        this.clock = clock;
        this.settings = settings;
        this.dataSource = dataSource;
        this.node = settings.node();
        this.task = Tasks.custom(TASK, Void.class)
                .onDeadExecution((complete, ops) -> {
                    long runId =
                            Long.parseLong(complete.getExecution().taskInstance.getId());
                    if (executor.deadExecution(
                            runId,
                            "the node running it stopped answering (" + complete.getExecution().pickedBy + ")")) {
                        ops.reschedule(complete, clock.instant());
                    } else {
                        ops.remove();
                    }
                })
                .onFailure((complete, ops) -> {
                    log.error(
                            "dispatching run {} failed",
                            complete.getExecution().taskInstance.getId(),
                            complete.getCause().orElse(null));
                    ops.reschedule(complete, clock.instant().plus(RETRY_WAITING));
                })
                .execute((instance, context) -> {
                    RunExecutor.Attempt attempt = executor.execute(Long.parseLong(instance.getId()));
                    if (attempt.waits()) {
                        return (CompletionHandler<Void>) (complete, ops) ->
                                ops.reschedule(complete, clock.instant().plus(RETRY_WAITING));
                    }
                    // the run that ended freed a slot of its workflow: the next one need not wait for its retry
                    attempt.next().ifPresent(this::wake);
                    return (complete, ops) -> ops.remove();
                });
    }

    /**
     * Call after this node's lost runs are recovered: what it had picked before is free again.
     * {@code moreTasks}: other engine tasks sharing the scheduler and its table (schedules).
     */
    public void start(List<Task<?>> moreTasks) {
        if (scheduler != null) {
            throw new IllegalStateException("run dispatch has already started");
        }
        releaseOwnPicks();
        List<Task<?>> tasks = new java.util.ArrayList<>(moreTasks);
        tasks.add(task);
        Scheduler built = Scheduler.create(dataSource, tasks)
                .threads(settings.workers())
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeat())
                .shutdownMaxWait(settings.shutdownWait())
                .schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed(settings.node()))
                .enableImmediateExecution()
                .build();
        this.scheduler = built;
        built.start();
    }

    /**
     * Executions this node had picked when it last stopped belong to a life that is over; left
     * picked, a queued run among them would wait for db-scheduler to find them dead (a minute).
     * Nodes have distinct names, so no other node's work is touched.
     */
    private void releaseOwnPicks() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update scheduled_tasks set picked = false, picked_by = null,"
                                + " last_heartbeat = null, version = version + 1 where task_name = ? and picked = true and picked_by = ?")) {
            s.setString(1, TASK);
            s.setString(2, node);
            int released = s.executeUpdate();
            if (released > 0) {
                log.info("{} run dispatch(es) picked by {} before it stopped are free again", released, node);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot release the run dispatches " + node + " had picked: " + e.getMessage(), e);
        }
    }

    public Scheduler scheduler() {
        Scheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException("run dispatch has not started: no run can be queued yet");
        }
        return s;
    }

    @Override
    public void dispatch(long runId) {
        scheduler().scheduleIfNotExists(new TaskInstance<Void>(TASK, Long.toString(runId)), clock.instant());
    }

    @Override
    public void wake(long runId) {
        TaskInstanceId id = TaskInstanceId.of(TASK, Long.toString(runId));
        Scheduler scheduler = scheduler();
        try {
            scheduler
                    .getScheduledExecution(id)
                    .filter(e -> !e.isPicked())
                    .ifPresent(e -> scheduler.reschedule(id, clock.instant()));
        } catch (RuntimeException e) {
            // it was picked meanwhile, or is gone: either way it needs no wake-up
            log.debug("wake of run {} not needed: {}", runId, e.getMessage());
        }
    }

    @Override
    public void forget(long runId) {
        TaskInstanceId id = TaskInstanceId.of(TASK, Long.toString(runId));
        Scheduler scheduler = scheduler();
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
        Scheduler s = scheduler;
        if (s != null) {
            s.stop();
        }
    }
}
