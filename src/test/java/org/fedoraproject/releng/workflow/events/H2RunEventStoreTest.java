package org.fedoraproject.releng.workflow.events;

import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.junit.jupiter.api.io.TempDir;

/** The event store contract on the embedded default: an H2 file database in PostgreSQL mode. */
class H2RunEventStoreTest extends RunEventStoreContract {

    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.open(new EngineConfig.Database(null, null, null, null, 4), dataDir, Map.of());
    }
}
