package org.fedoraproject.releng.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.approval.ApprovalTimeouts;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.config.ConfigLoader;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.trigger.ScheduleTask;
import org.fedoraproject.releng.workflow.trigger.Schedules;
import org.fedoraproject.releng.workflow.web.HttpListener;
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
    private final StartedParts started = new StartedParts();
    private final Links links;
    private final Storage storage;
    private final Runs runs;
    private final Triggers triggers;
    private final WebServer web;

    /** Each part is closed, last-built first, if a later one fails; see {@link #close} for the order. */
    private Engine(EngineConfig config, Map<String, String> env, Clock clock) {
        this.config = config;
        try {
            // first: with port 0 the base URL that links, messages and Ansible name is known only once bound
            HttpListener listener = started.add(
                    HttpListener.bind(config.server().host(), config.server().port()));
            this.links = config.server().baseUrl() != null
                    ? new Links(config.server().baseUrl())
                    : Links.listeningOn(config.server().host(), listener.port());
            this.storage = started.add(new Storage(config, env, clock));
            Bus bus = started.add(new Bus(config.messaging(), storage, links, clock));
            this.runs = started.add(new Runs(config, storage, bus, links, clock));
            started.add(storage.catalog);
            ScheduleTask scheduleTask = new ScheduleTask(runs.service, clock);
            runs.start(List.of(scheduleTask.task(), ApprovalTimeouts.task(runs.approvals)));
            bus.start();
            this.triggers = new Triggers(config, storage, runs, scheduleTask, clock);
            this.web = started.add(
                    Web.server(config, env, storage, runs, triggers.schedules, bus.messaging, links, listener, clock));
            started.add(triggers);
            triggers.start();
            web.start();
            storage.catalog.startWatching();
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        log.info(
                "engine {} listening on {} ({}), catalog {}",
                config.nodeName(),
                links.base(),
                web.port(),
                storage.catalog.directory());
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

    public int port() {
        return web.port();
    }

    public String baseUrl() {
        return links.base();
    }

    public RunService runs() {
        return runs.service;
    }

    public CatalogService catalog() {
        return storage.catalog;
    }

    public Schedules schedules() {
        return triggers.schedules;
    }

    public LogStore logs() {
        return storage.logs;
    }

    public EngineConfig config() {
        return config;
    }

    /** The engine's database, for tests that look at what it asks of it. */
    public Database database() {
        return storage.database;
    }

    /**
     * Stops taking runs from the buses, then requests, the catalog watcher and running playbooks
     * (their runs end as lost; closing the dispatcher waits for them to record that), then
     * messaging and metrics, and only then closes the database: the reverse of how they were built.
     */
    @Override
    public void close() {
        log.info("engine {} stopping", config.nodeName());
        started.close();
    }
}
