package org.fedoraproject.releng.workflow.db;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade on the embedded default: an H2 file database in the data directory. */
class H2MigrationFromPreviousSchemaTest extends MigrationFromPreviousSchemaContract {

    @TempDir
    Path dataDir;

    @Override
    protected Target emptyDatabase() {
        // the URL Database.open builds for a data directory, so that both open the same file
        return new Target(
                "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("releng")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
                        + ";DB_CLOSE_ON_EXIT=FALSE",
                "releng",
                "");
    }

    @Override
    protected Database open(Target target) {
        return Database.open(new EngineConfig.Database(null, null, null, null, 2), dataDir, Map.of());
    }

    @Override
    protected Set<String> validIndexesOfRun(Handle h) {
        return new HashSet<>(h.createQuery(
                        "select lower(index_name) from information_schema.indexes where lower(table_name) = 'run'")
                .mapTo(String.class)
                .list());
    }

    @Test
    void aDatabaseOtherThanPostgresqlOrH2IsRefusedWithWhatIsSupported() {
        assertThatThrownBy(() -> Database.open(
                        new EngineConfig.Database("jdbc:mysql://127.0.0.1/releng", "releng", null, null, 2),
                        dataDir,
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.url")
                .hasMessageContaining("neither PostgreSQL");
    }

    @Override
    protected String vendor() {
        return "h2";
    }
}
