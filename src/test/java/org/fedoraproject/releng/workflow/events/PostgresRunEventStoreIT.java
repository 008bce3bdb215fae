package org.fedoraproject.releng.workflow.events;

import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;

/** The event store contract on PostgreSQL 15, in a database of this class's own. */
class PostgresRunEventStoreIT extends RunEventStoreContract {

    @Override
    protected Database openDatabase() {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase("run_event_store_contract");
        return Database.open(
                new EngineConfig.Database(url, server.user(), null, null, 4), Path.of("unused-with-a-url"), Map.of());
    }
}
