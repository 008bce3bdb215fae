package org.fedoraproject.releng.workflow.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.fedoraproject.releng.workflow.config.ConfigException;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.config.SecretSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The connection pool and schema. Without a configured URL the engine keeps an H2 file database in
 * the data directory, in PostgreSQL mode so that one set of migrations serves both.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    public static Database open(EngineConfig.Database config, Path dataDir, Map<String, String> env) {
        HikariConfig hikari = new HikariConfig();
        if (config.url() == null) {
            Path file = dataDir.toAbsolutePath().normalize().resolve("releng");
            // WRITE_DELAY=0: a commit reaches the file before it returns. H2's default keeps it in
            // memory for up to half a second, so a crash lost runs the API had already answered
            // for, and message triggers acknowledge a message once its run is committed.
            // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook closed the database while the engine's
            // hook was still stopping runs, so their final status was never recorded.
            hikari.setJdbcUrl("jdbc:h2:file:" + file
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
                    + ";DB_CLOSE_ON_EXIT=FALSE");
            hikari.setUsername("releng");
            hikari.setPassword("");
        } else {
            hikari.setJdbcUrl(config.url());
            hikari.setUsername(config.user());
            hikari.setPassword(password(config, env));
        }
        String vendor = vendor(hikari.getJdbcUrl());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setPoolName("releng-db");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new ConfigException("database: cannot connect to " + hikari.getJdbcUrl() + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration", "classpath:db/" + vendor)
                    // a transactional advisory lock keeps a transaction open on Flyway's own
                    // connection, and `create index concurrently` waits for it forever
                    .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new ConfigException("database: migrating the schema failed: " + rootMessage(e), e);
        }
        return new Database(ds);
    }

    /**
     * The folder of the migrations written for one database only, where H2's PostgreSQL mode is
     * not enough (e.g. PostgreSQL's {@code create index concurrently}).
     */
    static String vendor(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return "h2";
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return "postgresql";
        }
        throw new ConfigException(
                "database.url: `" + jdbcUrl
                        + "` is neither PostgreSQL (jdbc:postgresql://…) nor H2 (jdbc:h2:…), the databases the engine supports");
    }

    private static String password(EngineConfig.Database config, Map<String, String> env) {
        return SecretSource.read("database.password", config.passwordFile(), config.passwordEnv(), env::get)
                .orElse(null);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
