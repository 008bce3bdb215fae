package org.fedoraproject.releng.workflow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.access.AccessPolicy;
import org.fedoraproject.releng.workflow.access.MatrixEntry;
import org.fedoraproject.releng.workflow.access.Permission;
import org.fedoraproject.releng.workflow.access.PermissionMatrix;
import org.fedoraproject.releng.workflow.auth.JdbcApiTokens;
import org.fedoraproject.releng.workflow.auth.JdbcPendingLogins;
import org.fedoraproject.releng.workflow.auth.JdbcSessions;
import org.fedoraproject.releng.workflow.auth.JdbcUsers;
import org.fedoraproject.releng.workflow.auth.LocalAdmin;
import org.fedoraproject.releng.workflow.auth.ServiceAccounts;
import org.fedoraproject.releng.workflow.auth.Users;
import org.fedoraproject.releng.workflow.config.Durations;
import org.fedoraproject.releng.workflow.config.EngineConfig;
import org.fedoraproject.releng.workflow.db.Database;
import org.fedoraproject.releng.workflow.messaging.Messaging;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.trigger.Schedules;
import org.fedoraproject.releng.workflow.web.HttpListener;
import org.fedoraproject.releng.workflow.web.WebServer;

/** Who may do what, how people and machines log in, and the web server that asks the services. */
final class Web {

    private Web() {}

    /** Routes only; it answers from {@link WebServer#start} on, on the socket bound first. */
    static WebServer server(
            EngineConfig config,
            Map<String, String> env,
            Storage storage,
            Runs parts,
            Schedules schedules,
            Messaging messaging,
            Links links,
            HttpListener listener,
            Clock clock) {
        RunService runs = parts.service;
        Optional<LocalAdmin> localAdmin = LocalAdmin.from(config.auth().localAdmin());
        return new WebServer(
                        new WebServer.Parts(
                                storage.catalog,
                                runs,
                                storage.logs,
                                policy(config.auth(), localAdmin),
                                ServiceAccounts.from(config.auth().serviceAccounts(), env),
                                login(config, env, storage.database, localAdmin, clock),
                                storage.json,
                                () -> reachable(storage.database),
                                schedules::nextDue,
                                messaging::messagesOf,
                                storage.metrics::scrape,
                                Durations.parse(config.server().streamWriteTimeout()),
                                storage.events,
                                parts.approvals),
                        links,
                        listener)
                .observeRequests(storage.engineMetrics.http()::answered);
    }

    private static AccessPolicy policy(EngineConfig.Auth auth, Optional<LocalAdmin> localAdmin) {
        List<MatrixEntry> matrix = new ArrayList<>(
                auth.matrix() == null ? PermissionMatrix.anonymousRead().globalEntries() : auth.matrix());
        // the break-glass account is admin by definition; the matrix need not (and cannot forget to) say so
        localAdmin.ifPresent(admin -> matrix.add(0, MatrixEntry.of("group:" + LocalAdmin.GROUP, Permission.ADMIN)));
        return new AccessPolicy(new PermissionMatrix(matrix));
    }

    private static WebServer.Login login(
            EngineConfig config,
            Map<String, String> env,
            Database database,
            Optional<LocalAdmin> localAdmin,
            Clock clock) {
        Users users = new JdbcUsers(database.jdbi());
        return new WebServer.Login(
                config.auth().oidc(),
                env::get,
                localAdmin,
                new JdbcSessions(
                        database.jdbi(), clock, Durations.parse(config.auth().sessionMaxAge())),
                new JdbcPendingLogins(database.jdbi(), clock),
                users,
                new JdbcApiTokens(
                        database.jdbi(),
                        users,
                        clock,
                        Durations.parse(config.auth().tokenMaxIdle())),
                clock);
    }

    /** Liveness: the database answers. */
    private static boolean reachable(Database database) {
        try {
            return database.jdbi()
                            .withHandle(h -> h.createQuery("select 1")
                                    .mapTo(Integer.class)
                                    .one())
                    == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
