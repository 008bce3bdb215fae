package org.fedoraproject.releng.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.fedoraproject.releng.workflow.access.AccessPolicy;
import org.fedoraproject.releng.workflow.access.MatrixEntry;
import org.fedoraproject.releng.workflow.access.Permission;
import org.fedoraproject.releng.workflow.access.PermissionMatrix;
import org.fedoraproject.releng.workflow.ansible.LocalProcessLauncher;
import org.fedoraproject.releng.workflow.ansible.PlaybookRunner;
import org.fedoraproject.releng.workflow.auth.ApiTokens;
import org.fedoraproject.releng.workflow.auth.JdbcPendingLogins;
import org.fedoraproject.releng.workflow.auth.LocalAdmin;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.auth.ServiceAccounts;
import org.fedoraproject.releng.workflow.auth.Sessions;
import org.fedoraproject.releng.workflow.auth.Users;
import org.fedoraproject.releng.workflow.catalog.CatalogLoader;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.TopicPattern;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.ConfigLoader;
import org.fedoraproject.releng.workflow.config.Durations;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.config.MessagingSettings;
import org.fedoraproject.releng.workflow.config.TriggerSettings;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.events.JdbcRunEventStore;
import org.fedoraproject.releng.workflow.events.RunEventStore;
import org.fedoraproject.releng.workflow.log.FileLogStore;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.messaging.IncomingMessages;
import org.fedoraproject.releng.workflow.messaging.JdbcOutbox;
import org.fedoraproject.releng.workflow.messaging.Messaging;
import org.fedoraproject.releng.workflow.messaging.RunMessages;
import org.fedoraproject.releng.workflow.messaging.amqp.AmqpTriggerConsumer;
import org.fedoraproject.releng.workflow.messaging.fedmsg.FedmsgSubscriber;
import org.fedoraproject.releng.workflow.metrics.EngineMetrics;
import org.fedoraproject.releng.workflow.run.DbSchedulerDispatch;
import org.fedoraproject.releng.workflow.run.JdbcRunRepository;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunExecutor;
import org.fedoraproject.releng.workflow.run.RunLifecycle;
import org.fedoraproject.releng.workflow.run.RunQuery;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.fedoraproject.releng.workflow.run.SecretSealer;
import org.fedoraproject.releng.workflow.trigger.DroppedMessages;
import org.fedoraproject.releng.workflow.trigger.FedmsgValidator;
import org.fedoraproject.releng.workflow.trigger.MessageTriggers;
import org.fedoraproject.releng.workflow.trigger.Schedules;
import org.fedoraproject.releng.workflow.web.Links;
import org.fedoraproject.releng.workflow.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the engine from its configuration: configuration in, a running engine out, {@link #close}
 * to stop. Also the main class: {@code java -jar releng-workflow-engine.jar --config FILE}.
 */
public final class Engine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final EngineConfig config;
    private final Database database;
    private final CatalogService catalog;
    private final RunExecutor executor;
    private final DbSchedulerDispatch dispatch;
    private final RunService runs;
    private final Schedules schedules;
    private final Messaging messaging;
    private final MessageTriggers messageTriggers;
    private final List<AutoCloseable> listeners = new java.util.ArrayList<>();
    private final PrometheusMeterRegistry metrics;
    private final EngineMetrics engineMetrics;
    private final LogStore logs;
    private final WebServer web;
    private final String baseUrl;

    private Engine(EngineConfig config, Map<String, String> env, Clock clock) {
        this.config = config;
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        createDirectories(dataDir);
        this.logs = new FileLogStore(dataDir.resolve("logs"));
        this.database = Database.open(config.database(), dataDir, env);
        try {
            // ConfigLoader has checked that it is a directory
            Path catalogDir = Path.of(config.catalogDir());
            this.catalog =
                    new CatalogService(new CatalogLoader(catalogDir, clock, ownAnnouncements(config.messaging())));
            catalog.reload();
            SecretSealer sealer = SecretSealer.fromKeyFile(
                    config.secretsKeyFile() != null
                            ? Path.of(config.secretsKeyFile())
                            : dataDir.resolve("secrets.key"));
            ObjectMapper json = new ObjectMapper();
            this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.engineMetrics = new EngineMetrics(metrics, catalog, database.jdbi(), clock);
            AtomicReference<String> base = new AtomicReference<>(config.server().baseUrl());
            RunEventStore events = new JdbcRunEventStore(database.jdbi());
            RunMessages runMessages = new RunMessages(
                    new RunMessages.Urls() {
                        @Override
                        public String run(Run run) {
                            return base.get() + Links.runPath(run);
                        }

                        @Override
                        public String log(Run run) {
                            return base.get() + "/api/runs/" + run.id() + "/log";
                        }
                    },
                    events::summary);
            JdbcOutbox outbox = new JdbcOutbox(database.jdbi(), json);
            try {
                this.messaging = new Messaging(config.messaging(), outbox, runMessages, catalog, metrics, clock);
            } catch (IllegalArgumentException e) {
                // ConfigLoader has checked the settings; what is left fails only when tried (a port in use, a PEM file)
                throw new ConfigException(e.getMessage(), e);
            }
            JdbcRunRepository repository = new JdbcRunRepository(database.jdbi(), json, outbox);
            RunLifecycle lifecycle =
                    new RunLifecycle(repository, messaging.observedBy(engineMetrics.runObserver()), clock);
            PlaybookRunner runner = new PlaybookRunner(
                    new LocalProcessLauncher(),
                    config.runs().ansiblePlaybook(),
                    Durations.parse(config.runs().terminateGrace()),
                    clock);
            this.executor = new RunExecutor(
                    catalog,
                    repository,
                    lifecycle,
                    logs,
                    sealer,
                    runner,
                    clock,
                    config.nodeName(),
                    Durations.parse(config.runs().defaultTimeout()),
                    dataDir.resolve("runs"),
                    (Run run) -> base.get() + Links.runPath(run));
            executor.recordEvents(events);
            Duration grace = Durations.parse(config.runs().terminateGrace());
            this.schedules = new Schedules(clock);
            this.dispatch = new DbSchedulerDispatch(
                    database.dataSource(),
                    executor,
                    new DbSchedulerDispatch.Settings(
                            config.workers(),
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(10),
                            grace.plusSeconds(30),
                            config.nodeName()),
                    clock,
                    List.of(schedules.task()));
            this.runs = new RunService(catalog, repository, lifecycle, sealer, dispatch, executor);
            schedules.attach(runs, dispatch.scheduler());
            // before the dispatcher starts: a queued run of a "limit: 1" workflow must not start
            // while a playbook this node left running is still alive
            int lost = recoverLost();
            if (lost > 0) {
                log.warn("{} run(s) were running on {} when it last stopped; marked lost", lost, config.nodeName());
            }
            for (Run queued :
                    repository.list(new RunQuery(null, Set.of(RunStatus.QUEUED), RunQuery.MAX_LIMIT, null, null))) {
                dispatch.dispatch(queued.id());
            }
            Optional<LocalAdmin> localAdmin = LocalAdmin.from(config.auth().localAdmin());
            List<MatrixEntry> matrix = new ArrayList<>(
                    config.auth().matrix() == null
                            ? PermissionMatrix.anonymousRead().globalEntries()
                            : config.auth().matrix());
            // the break-glass account is admin by definition; the matrix need not (and cannot forget to) say so
            localAdmin.ifPresent(admin -> matrix.add(0, MatrixEntry.of("group:" + LocalAdmin.GROUP, Permission.ADMIN)));
            AccessPolicy policy = new AccessPolicy(new PermissionMatrix(matrix));
            ServiceAccounts accounts = ServiceAccounts.from(config.auth().serviceAccounts(), env);
            Users users = new Users(database.jdbi());
            WebServer.Login login = new WebServer.Login(
                    config.auth().oidc(),
                    env::get,
                    localAdmin,
                    new Sessions(
                            database.jdbi(),
                            clock,
                            Durations.parse(config.auth().sessionMaxAge())),
                    new JdbcPendingLogins(database.jdbi(), clock),
                    users,
                    new ApiTokens(
                            database.jdbi(),
                            users,
                            clock,
                            Durations.parse(config.auth().tokenMaxIdle())),
                    clock);
            WebServer.Health health = () -> {
                try {
                    return database.jdbi()
                                    .withHandle(h -> h.createQuery("select 1")
                                            .mapTo(Integer.class)
                                            .one())
                            == 1;
                } catch (RuntimeException e) {
                    return false;
                }
            };
            this.web = new WebServer(
                            new WebServer.Parts(
                                    catalog,
                                    runs,
                                    logs,
                                    policy,
                                    accounts,
                                    login,
                                    json,
                                    health,
                                    schedules::nextDue,
                                    messaging::messagesOf,
                                    metrics::scrape,
                                    Durations.parse(config.server().streamWriteTimeout()),
                                    events),
                            base::get)
                    .observeRequests(engineMetrics.http()::answered);
            web.start(config.server().host(), config.server().port());
            if (base.get() == null) {
                // bound to one address: links (and the OIDC redirect URI) must name that address
                String host = config.server().host();
                boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
                base.set("http://" + (wildcard ? "localhost" : host.contains(":") ? "[" + host + "]" : host) + ":"
                        + web.port());
            }
            this.baseUrl = base.get();
            dispatch.start();
            messaging.start();
            this.messageTriggers = new MessageTriggers(runs, new DroppedMessages(metrics));
            listen(config.triggers(), clock);
            messageTriggers.sync(catalog.current());
            catalog.onReload(messageTriggers::sync);
            if (config.schedules().enabled()) {
                schedules.sync(catalog.current());
                catalog.onReload(schedules::sync);
            } else {
                log.info(
                        "schedules are disabled (schedules.enabled: false): no run starts by schedule on {}",
                        config.nodeName());
            }
            catalog.startWatching();
            log.info(
                    "engine {} listening on {} ({}), catalog {}",
                    config.nodeName(),
                    baseUrl,
                    web.port(),
                    catalog.directory());
        } catch (RuntimeException e) {
            stopListening();
            database.close();
            throw e;
        }
    }

    /** Where this engine's announcements go (even with the bus off: it may be switched on later), and Fedora's shape. */
    private static List<TopicPattern> ownAnnouncements(MessagingSettings messaging) {
        return List.of(
                TopicPattern.ENGINE_ANNOUNCEMENTS,
                TopicPattern.announcementsUnder(messaging.fedmsg().topicBase()),
                TopicPattern.announcementsUnder(
                        messaging.amqp().topicPrefix() + "." + messaging.amqp().environment()));
    }

    private int recoverLost() {
        try {
            return executor.recoverLost();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the runs an earlier engine left running", e);
        }
    }

    /** Bus edges for message triggers: only where configured; each stays idle while no workflow needs it. */
    private void listen(TriggerSettings settings, Clock clock) {
        try {
            if (!settings.fedmsg().endpoints().isEmpty()) {
                IncomingMessages heard = fedmsgValidator(settings.fedmsg(), clock)
                        .<IncomingMessages>map(
                                validator -> validator.guarding(messageTriggers, messageTriggers.dropped()))
                        .orElse(messageTriggers);
                FedmsgSubscriber fedmsg = new FedmsgSubscriber(settings.fedmsg().endpoints(), heard);
                listeners.add(fedmsg);
                fedmsg.start();
            }
            if (settings.amqp().enabled()) {
                AmqpTriggerConsumer amqp = new AmqpTriggerConsumer(settings.amqp(), messageTriggers);
                listeners.add(amqp);
                amqp.start();
            }
        } catch (IllegalArgumentException e) {
            stopListening();
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static Optional<FedmsgValidator> fedmsgValidator(TriggerSettings.Fedmsg settings, Clock clock) {
        if (!settings.validateSignatures()) {
            log.warn(
                    "fedmsg triggers accept UNSIGNED messages: anyone who can publish to {} (or to a relay feeding"
                            + " it) can start runs; set triggers.fedmsg.validateSignatures: true with caFile and routingPolicy",
                    settings.endpoints());
            return Optional.empty();
        }
        FedmsgValidator validator = FedmsgValidator.fromSettings(settings, clock);
        if (settings.routingPolicy().isEmpty() && !settings.routingNitpicky()) {
            log.warn(
                    "fedmsg triggers: triggers.fedmsg.routingPolicy is empty, so every certificate from {} may send"
                            + " every topic",
                    settings.caFile());
        }
        log.info(
                "fedmsg triggers check signatures against {} ({} topics in the routing policy{})",
                settings.caFile(),
                settings.routingPolicy().size(),
                settings.routingNitpicky() ? ", nitpicky" : "");
        return Optional.of(validator);
    }

    private void stopListening() {
        for (AutoCloseable listener : listeners) {
            try {
                listener.close();
            } catch (Exception e) {
                log.warn("stopping a message trigger listener failed", e);
            }
        }
        listeners.clear();
    }

    public static Engine start(EngineConfig config, Map<String, String> env, Clock clock) {
        return new Engine(config, env, clock);
    }

    public static void main(String[] args) {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        usage("--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--help", "-h" -> usage(null);
                case "--hash-password" -> {
                    System.out.println(PasswordHash.hash(readPassword()));
                    return;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        try {
            EngineConfig config = new ConfigLoader().load(configFile, System.getenv());
            Engine engine = start(config, System.getenv(), Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "engine-shutdown"));
        } catch (EngineException e) {
            System.err.println("releng-workflow-engine: " + e.getMessage());
            System.exit(2);
        }
    }

    /** The password for --hash-password: typed without echo on a terminal, else the first line of stdin. */
    private static char[] readPassword() {
        java.io.Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (typed == null || !java.util.Arrays.equals(typed, again)) {
                usage("the passwords differ");
            }
            return typed;
        }
        try {
            String line = new java.io.BufferedReader(
                            new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            if (line == null || line.isEmpty()) {
                usage("--hash-password reads the password from stdin; it was empty");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("releng-workflow-engine: " + problem);
        }
        System.err.println("usage: java -jar releng-workflow-engine.jar [--config FILE] | --hash-password");
        System.exit(problem == null ? 0 : 2);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    public int port() {
        return web.port();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public RunService runs() {
        return runs;
    }

    public CatalogService catalog() {
        return catalog;
    }

    public Schedules schedules() {
        return schedules;
    }

    public LogStore logs() {
        return logs;
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * Stops taking requests, stops running playbooks (their runs end as lost; closing the dispatcher
     * waits for them to record that) and only then closes the database.
     */
    @Override
    public void close() {
        log.info("engine {} stopping", config.nodeName());
        // no new runs from the buses while the rest stops; unacknowledged AMQP messages stay queued
        stopListening();
        web.close();
        catalog.close();
        executor.stopAll();
        dispatch.close();
        messaging.close();
        engineMetrics.close();
        database.close();
    }
}
