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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queued runs as db-scheduler executions (one per run, instance id = run id): db-scheduler gives
 * cluster-safe claiming, a bounded pool of workers and heartbeats. A run held back by its
 * workflow's concurrency limit is rescheduled and woken when a slot frees; an execution whose
 * node stopped heartbeating is reported dead and its run marked {@code lost}, or tried again when
 * the run was still queued (its node died while checking the limit).
 *
 * <p>A run queued on this node while one of its workers is free starts at once: its execution is
 * written already picked by this node ({@link OwnPicks}) and handed to a worker here, without
 * waiting for db-scheduler to poll, pick and read it. Both kinds of execution share the
 * {@code workers} slots. The dispatcher's heartbeat also carries the check for runs of this node
 * cancelled through another node.
 */
public final class DbSchedulerDispatch implements Dispatch, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DbSchedulerDispatch.class);
    static final String TASK = "releng-run";
    /** A waiting run looks again by itself this often, in case its wake-up was missed. */
    private static final Duration RETRY_WAITING = Duration.ofSeconds(5);

    private final CustomTask<Void> task;
    private final Settings settings;
    private final DataSource dataSource;
    /**
     * Built by {@link #start}: the scheduler also runs the engine's other tasks (schedules), and
     * those start runs through the RunService that needs this dispatch, so they exist only later.
     */
    private volatile Scheduler scheduler;

    private final Clock clock;
    private final long heartbeatMillis;
    private final long cancelCheckMillis;
    private final String node;
    private final RunExecutor executor;
    private final OwnPicks ownPicks;
    private final Duration shutdownWait;
    /** Runs executing on this node, by db-scheduler's threads or directly: at most {@code workers}. */
    private final Semaphore slots;
    /** Runs started directly, whose executions this node heartbeats itself. */
    private final Set<Long> direct = ConcurrentHashMap.newKeySet();

    private final ExecutorService directWorkers;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean started;

    /**
     * {@code cancelCheck}: how often this node looks for its runs cancelled through another node
     * (one query for all of them, only while it runs something).
     */
    public record Settings(
            int workers,
            Duration pollingInterval,
            Duration heartbeat,
            Duration shutdownWait,
            String node,
            Duration cancelCheck) {}

    public DbSchedulerDispatch(DataSource dataSource, RunExecutor executor, Settings settings, Clock clock) {
        this.clock = clock;
        this.settings = settings;
        this.dataSource = dataSource;
        this.heartbeatMillis = settings.heartbeat().toMillis();
        this.cancelCheckMillis = settings.cancelCheck().toMillis();
        this.node = settings.node();
        this.executor = executor;
        this.ownPicks = new OwnPicks(dataSource, TASK, settings.node());
        this.shutdownWait = settings.shutdownWait();
        this.slots = new Semaphore(settings.workers());
        this.directWorkers = Executors.newCachedThreadPool(named("run-worker"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(named("run-dispatch-heartbeat"));
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
                    RunExecutor.Attempt attempt = inSlot(() -> executor.execute(Long.parseLong(instance.getId())));
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
     * {@code moreTasks}: other engine tasks sharing the scheduler and its table (schedules, and
     * recurring tasks, which start with it).
     */
    public void start(List<Task<?>> moreTasks) {
        if (scheduler != null) {
            throw new IllegalStateException("run dispatch has already started");
        }
        int released = ownPicks.releaseAll();
        if (released > 0) {
            log.info("{} run dispatch(es) picked by {} before it stopped are free again", released, node);
        }
        // recurring tasks (the approval sweep) are scheduled by the scheduler itself, once per cluster
        List<com.github.kagkarlsson.scheduler.task.helper.RecurringTask<?>> recurring = new java.util.ArrayList<>();
        List<Task<?>> tasks = new java.util.ArrayList<>();
        for (Task<?> t : moreTasks) {
            if (t instanceof com.github.kagkarlsson.scheduler.task.helper.RecurringTask<?> r) {
                recurring.add(r);
            } else {
                tasks.add(t);
            }
        }
        tasks.add(task);
        Scheduler built = Scheduler.create(dataSource, tasks)
                .startTasks(recurring)
                .threads(settings.workers())
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeat())
                .shutdownMaxWait(settings.shutdownWait())
                .schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed(settings.node()))
                .enableImmediateExecution()
                .build();
        this.scheduler = built;
        built.start();
        long beat = heartbeatMillis;
        heartbeat.scheduleWithFixedDelay(
                () -> survive("heartbeat", () -> ownPicks.heartbeat(Set.copyOf(direct), clock.instant())),
                beat,
                beat,
                TimeUnit.MILLISECONDS);
        heartbeat.scheduleWithFixedDelay(
                () -> survive("cancel check", executor::stopRunsCancelledElsewhere),
                cancelCheckMillis,
                cancelCheckMillis,
                TimeUnit.MILLISECONDS);
        started = true;
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

    /**
     * Starts the run on a free worker of this node at once; with none free (or while the node
     * starts or stops) it waits for db-scheduler like any other. Exactly once across nodes: the
     * execution row is written picked only if the run has none, and starting the run checks that
     * it is still queued.
     */
    @Override
    public void dispatch(Run queued) {
        if (!started || !slots.tryAcquire()) {
            dispatch(queued.id());
            return;
        }
        boolean picked = false;
        try {
            picked = ownPicks.pickNew(queued.id(), clock.instant());
            if (picked) {
                direct.add(queued.id());
                directWorkers.execute(() -> executeDirectly(queued));
            }
        } catch (RuntimeException e) {
            if (picked) {
                // the workers are shutting down: db-scheduler takes it when a node is up
                direct.remove(queued.id());
                ownPicks.release(queued.id(), clock.instant());
            }
            slots.release();
            throw e;
        }
        if (!picked) {
            slots.release();
        }
    }

    private void executeDirectly(Run queued) {
        long runId = queued.id();
        Optional<Long> next = Optional.empty();
        try {
            RunExecutor.Attempt attempt = executor.execute(queued);
            if (attempt.waits()) {
                ownPicks.release(runId, clock.instant().plus(RETRY_WAITING));
            } else {
                ownPicks.remove(runId);
                next = attempt.next();
            }
        } catch (RuntimeException e) {
            log.error("dispatching run {} failed", runId, e);
            survive("release", () -> ownPicks.release(runId, clock.instant().plus(RETRY_WAITING)));
        } finally {
            direct.remove(runId);
            slots.release();
        }
        // the run that ended freed a slot of its workflow: the next one need not wait for its retry
        next.ifPresent(this::wake);
    }

    /** Runs {@code execution} in one of this node's worker slots, waiting a little for one. */
    private RunExecutor.Attempt inSlot(Supplier<RunExecutor.Attempt> execution) {
        try {
            // the slots are full with runs started directly: let the run wait, any node may take it then
            if (!slots.tryAcquire(RETRY_WAITING.toMillis(), TimeUnit.MILLISECONDS)) {
                return RunExecutor.Attempt.WAIT;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RunExecutor.Attempt.WAIT;
        }
        try {
            return execution.get();
        } finally {
            slots.release();
        }
    }

    private void survive(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.warn("run dispatch {} on {} failed: {}", what, node, e.getMessage());
        }
    }

    private static ThreadFactory named(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
        started = false;
        directWorkers.shutdown();
        heartbeat.shutdownNow();
        Scheduler s = scheduler;
        if (s != null) {
            s.stop();
        }
        try {
            if (!directWorkers.awaitTermination(shutdownWait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("runs started directly on {} were still executing after {}", node, shutdownWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
