package org.fedoraproject.releng.workflow.run;

import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.junit.jupiter.api.io.TempDir;

/** The repository contract on the embedded default: an H2 file database in PostgreSQL mode. */
class H2RunRepositoryTest extends RunRepositoryContract {

    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.open(new EngineConfig.Database(null, null, null, null, POOL_SIZE), dataDir, Map.of());
    }
}
