package org.fedoraproject.releng.workflow;

import com.github.kagkarlsson.scheduler.task.Task;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fedoraproject.releng.workflow.ansible.LocalProcessLauncher;
import org.fedoraproject.releng.workflow.ansible.PlaybookRunner;
import org.fedoraproject.releng.workflow.approval.ApprovalService;
import org.fedoraproject.releng.workflow.approval.JdbcApprovals;
import org.fedoraproject.releng.workflow.chain.ChainService;
import org.fedoraproject.releng.workflow.config.Durations;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.messaging.Messaging;
import org.fedoraproject.releng.workflow.run.DbSchedulerDispatch;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunExecutor;
import org.fedoraproject.releng.workflow.run.RunLifecycle;
import org.fedoraproject.releng.workflow.run.RunQuery;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs: their lifecycle, the playbook runner, the executor, the dispatch queue and the service. */
final class Runs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Runs.class);

    final JdbcRunRepository repository;
    final RunExecutor executor;
    final DbSchedulerDispatch dispatch;
    final RunService service;
    final ApprovalService approvals;
    final ChainService chains;
    private final String node;

    /** Also marks lost what this node left running, before {@link #start} lets any queued run go. */
    Runs(EngineConfig config, Storage storage, Bus bus, Links links, Clock clock) {
        this.node = config.nodeName();
        Messaging messaging = bus.messaging;
        this.repository = new JdbcRunRepository(storage.database.jdbi(), storage.json, bus.outbox);
        RunLifecycle lifecycle =
                new RunLifecycle(repository, messaging.observedBy(storage.engineMetrics.runObserver()), clock);
        Duration grace = Durations.parse(config.runs().terminateGrace());
        PlaybookRunner runner = new PlaybookRunner(
                new LocalProcessLauncher(),
                config.runs().ansiblePlaybook(),
                grace,
                clock,
                vaultPasswordFiles(config.ansible()));
        this.executor = new RunExecutor(
                storage.catalog,
                repository,
                lifecycle,
                storage.logs,
                storage.sealer,
                runner,
                node,
                Durations.parse(config.runs().defaultTimeout()),
                storage.dataDir.resolve("runs"),
                links::run);
        executor.recordEvents(storage.events, clock);
        this.dispatch = new DbSchedulerDispatch(
                storage.database.dataSource(),
                executor,
                new DbSchedulerDispatch.Settings(
                        config.workers(),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        grace.plusSeconds(30),
                        node,
                        Duration.ofSeconds(2)),
                clock);
        this.service = new RunService(storage.catalog, repository, lifecycle, storage.sealer, dispatch, executor);
        this.approvals = new ApprovalService(
                new JdbcApprovals(storage.database.jdbi(), bus.outbox),
                repository,
                lifecycle,
                dispatch,
                storage.catalog,
                messaging.buses().isEmpty() ? null : links,
                () -> messaging.committed(null),
                clock);
        service.withApprovals(approvals);
        // before recoverLost: a chain run this node left running is not lost, it continues
        this.chains = new ChainService(
                new ChainService.Parts(
                        storage.catalog,
                        service,
                        repository,
                        lifecycle,
                        storage.sealer,
                        storage.events,
                        storage.logs,
                        links::run,
                        node,
                        Duration.ofSeconds(10),
                        clock,
                        approvals,
                        groupsOfLastLogin(storage)),
                storage.database.jdbi());
        approvals.onGates(chains::gateSettled);
        executor.orchestrate(chains);
        service.onTransition(chains::transitioned);
        // before the dispatcher starts: a queued run of a "limit: 1" workflow must not start
        // while a playbook this node left running is still alive
        int lost = recoverLost();
        if (lost > 0) {
            log.warn("{} run(s) were running on {} when it last stopped; marked lost", lost, node);
        }
    }

    /** The groups a person had at their last login (none for a name that never logged in). */
    private static java.util.function.Function<String, Set<String>> groupsOfLastLogin(Storage storage) {
        org.fedoraproject.releng.workflow.auth.Users users =
                new org.fedoraproject.releng.workflow.auth.JdbcUsers(storage.database.jdbi());
        return name -> users.find(name)
                .map(org.fedoraproject.releng.workflow.auth.UserRecord::groups)
                .orElse(Set.of());
    }

    /** Starts executing queued runs; {@code moreTasks} share the dispatcher's scheduler (schedules). */
    void start(List<Task<?>> moreTasks) {
        dispatch.start(moreTasks);
        chains.start();
        for (Run queued :
                repository.list(new RunQuery(null, Set.of(RunStatus.QUEUED), RunQuery.MAX_LIMIT, null, null))) {
            dispatch.dispatch(queued.id());
        }
    }

    private int recoverLost() {
        try {
            return executor.recoverLost();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the runs an earlier engine left running", e);
        }
    }

    /** Running playbooks stop (their runs end as lost); closing the dispatcher waits for them to record that. */
    @Override
    public void close() {
        executor.stopAll();
        chains.close();
        dispatch.close();
    }

    /** The configured vault password files, by vault id (ConfigLoader has checked each is private and readable). */
    private static Map<String, Path> vaultPasswordFiles(EngineConfig.Ansible ansible) {
        Map<String, Path> files = new TreeMap<>();
        ansible.vaultPasswordFiles().forEach((id, file) -> files.put(id, Path.of(file)));
        return files;
    }
}
