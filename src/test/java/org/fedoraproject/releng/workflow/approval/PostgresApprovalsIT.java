package org.fedoraproject.releng.workflow.approval;

import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.testsupport.PostgresServer;

/** The approvals contract on PostgreSQL 15, in a database of this class's own. */
class PostgresApprovalsIT extends ApprovalsContract {

    @Override
    protected Database openDatabase() {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase("approvals_contract");
        return Database.open(
                new EngineConfig.Database(url, server.user(), null, null, POOL_SIZE),
                Path.of("unused-with-a-url"),
                Map.of());
    }
}
