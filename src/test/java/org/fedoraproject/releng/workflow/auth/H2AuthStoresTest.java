package org.fedoraproject.releng.workflow.auth;

import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.junit.jupiter.api.io.TempDir;

/** The auth stores' contract on the embedded default: an H2 file database in PostgreSQL mode. */
class H2AuthStoresTest extends AuthStoresContract {

    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.open(new EngineConfig.Database(null, null, null, null, POOL_SIZE), dataDir, Map.of());
    }
}
