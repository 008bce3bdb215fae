package org.fedoraproject.releng.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.fedoraproject.releng.workflow.catalog.CatalogLoader;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.TopicPattern;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.config.MessagingSettings;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.events.JdbcRunEventStore;
import org.fedoraproject.releng.workflow.events.RunEventStore;
import org.fedoraproject.releng.workflow.log.FileLogStore;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.metrics.EngineMetrics;
import org.fedoraproject.releng.workflow.run.SecretSealer;

/** What the engine keeps: the data directory, logs, database, catalog, the secrets key and the metrics. */
final class Storage implements AutoCloseable {

    final Path dataDir;
    final LogStore logs;
    final Database database;
    final CatalogService catalog;
    final SecretSealer sealer;
    final ObjectMapper json = new ObjectMapper();
    final PrometheusMeterRegistry metrics;
    final EngineMetrics engineMetrics;
    final RunEventStore events;

    Storage(EngineConfig config, Map<String, String> env, Clock clock) {
        this.dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        createDirectories(dataDir);
        this.logs = new FileLogStore(dataDir.resolve("logs"), clock);
        this.database = Database.open(config.database(), dataDir, env);
        try {
            // ConfigLoader has checked that it is a directory
            this.catalog = new CatalogService(new CatalogLoader(
                    Path.of(config.catalogDir()),
                    clock,
                    ownAnnouncements(config.messaging()),
                    config.ansible().vaultPasswordFiles().keySet()));
            catalog.reload();
            this.sealer = SecretSealer.fromKeyFile(
                    config.secretsKeyFile() != null
                            ? Path.of(config.secretsKeyFile())
                            : dataDir.resolve("secrets.key"));
            this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.engineMetrics = new EngineMetrics(metrics, catalog, database.jdbi(), clock);
            this.events = new JdbcRunEventStore(database.jdbi());
        } catch (RuntimeException e) {
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

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    /** Metrics, then the database: everything else has stopped writing to it by now. */
    @Override
    public void close() {
        engineMetrics.close();
        database.close();
    }
}
