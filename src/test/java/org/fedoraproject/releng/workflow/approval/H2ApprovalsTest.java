package org.fedoraproject.releng.workflow.approval;

import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.junit.jupiter.api.io.TempDir;

/** The approvals contract on the embedded H2. */
class H2ApprovalsTest extends ApprovalsContract {

    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.open(new EngineConfig.Database(null, null, null, null, POOL_SIZE), dataDir, Map.of());
    }
}
