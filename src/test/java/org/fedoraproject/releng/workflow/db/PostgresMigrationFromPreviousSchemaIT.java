package org.fedoraproject.releng.workflow.db;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;
import org.jdbi.v3.core.Handle;

/** The upgrade on PostgreSQL 15, whose indexes are built concurrently, outside a transaction. */
class PostgresMigrationFromPreviousSchemaIT extends MigrationFromPreviousSchemaContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected Target emptyDatabase() {
        PostgresServer server = PostgresServer.shared();
        return new Target(
                server.createDatabase("migration_from_previous_" + DATABASES.incrementAndGet()), server.user(), "");
    }

    @Override
    protected Database open(Target target) {
        return Database.open(
                new EngineConfig.Database(target.url(), target.user(), null, null, 2),
                Path.of("unused-with-a-url"),
                Map.of());
    }

    /** An index whose concurrent build failed stays behind invalid: only valid ones count. */
    @Override
    protected Set<String> validIndexesOfRun(Handle h) {
        return new HashSet<>(h.createQuery("select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid"
                        + " where i.indrelid = cast('run' as regclass) and i.indisvalid")
                .mapTo(String.class)
                .list());
    }

    @Override
    protected String vendor() {
        return "postgresql";
    }
}
