package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.fedoraproject.releng.workflow.access.AccessPolicy;
import org.fedoraproject.releng.workflow.auth.ApiTokens;
import org.fedoraproject.releng.workflow.auth.LocalAdmin;
import org.fedoraproject.releng.workflow.auth.ServiceAccounts;
import org.fedoraproject.releng.workflow.auth.Sessions;
import org.fedoraproject.releng.workflow.auth.Users;
import org.fedoraproject.releng.workflow.auth.oidc.PendingLogins;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.config.OidcConfig;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.RunService;

/**
 * The HTTP edge. The route table reads as a sitemap: pages, the JSON API, the live log stream
 * and health. Who the caller is gets decided once per request, before any route.
 */
public final class WebServer implements AutoCloseable {

    public record Parts(
            CatalogService catalog,
            RunService runs,
            LogStore logs,
            AccessPolicy policy,
            ServiceAccounts serviceAccounts,
            Login login,
            ObjectMapper json,
            Health health,
            NextDue nextDue,
            MessagesOf messages,
            java.util.function.Supplier<String> metrics,
            java.time.Duration streamWriteTimeout,
            org.fedoraproject.releng.workflow.events.RunEventStore events,
            org.fedoraproject.releng.workflow.approval.ApprovalService approvals) {}

    /** The bus messages a run produced and whether each bus has had them. */
    public interface MessagesOf {
        java.util.List<java.util.Map<String, Object>> of(long runId);
    }

    /** When a workflow's schedule next starts a run. */
    public interface NextDue {
        java.util.Optional<java.time.Instant> of(String workflowId);
    }

    /**
     * Logins and what they create. {@code oidc} is null when no provider is configured (then only
     * tokens, service accounts and the optional break-glass login identify anyone).
     */
    public record Login(
            OidcConfig oidc,
            Function<String, String> environment,
            Optional<LocalAdmin> localAdmin,
            Sessions sessions,
            PendingLogins pendingLogins,
            Users users,
            ApiTokens tokens,
            Clock clock) {}

    /** Liveness: true when the engine can reach its database. */
    public interface Health {
        boolean ok();
    }

    private final Javalin app;
    private final LogStream logStream;
    private final Links links;
    private final HttpListener listener;

    /** Routes only: requests are answered from {@link #start} on, on the socket already bound. */
    public WebServer(Parts parts, Links links, HttpListener listener) {
        this.links = links;
        this.listener = listener;
        Views views = new Views(links, parts.nextDue());
        Reading reading = new Reading(parts.catalog(), parts.runs(), parts.policy());
        Login login = parts.login();
        Authentication authentication =
                new Authentication(parts.serviceAccounts(), login.tokens(), login.sessions(), links);
        RunResults results = new RunResults(parts.events());
        Pages pages = new Pages(
                        parts.catalog(),
                        parts.runs(),
                        parts.logs(),
                        reading,
                        login.oidc() != null || login.localAdmin().isPresent(),
                        parts.nextDue(),
                        parts.messages())
                .withResults(results)
                .withApprovals(parts.approvals());
        this.logStream = new LogStream(parts.runs(), parts.logs(), parts.streamWriteTimeout());
        HeadLikeGet head = new HeadLikeGet();
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(parts.json(), false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/static";
                files.location = Location.CLASSPATH;
            });
            config.router.ignoreTrailingSlashes = true;
            config.events.handlerAdded(head);
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                try {
                    connector.open(listener.channel());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return connector;
            });
        });
        head.attach(app);
        HttpErrors.install(app, pages);
        // first, so that responses refused by a later before-handler carry the headers too
        app.before(
                new SecurityHeaders(login.oidc() == null ? null : login.oidc().issuer())::apply);
        app.before(authentication::identify);
        // the stream's checks must happen before the SSE handler commits the response
        app.before("/api/runs/{id}/log/stream", ctx -> {
            reading.run(Authentication.principal(ctx), ApiRoutes.runId(ctx));
            LogStream.startOf(ctx);
        });
        pages.install(app);
        new ConsolePage(parts.runs(), parts.logs(), reading, pages).install(app);
        new ConsoleApi(parts.runs(), parts.logs(), reading).install(app);
        new LoginRoutes(login, authentication, pages, links).install(app);
        new TokenRoutes(login.tokens(), pages, parts.json()).install(app);
        new ApiRoutes(parts.catalog(), parts.runs(), parts.logs(), reading, views, parts.json(), parts.messages())
                .withResults(results)
                .withApprovals(parts.approvals())
                .install(app);
        new EventRoutes(reading, results).install(app);
        new ApprovalRoutes(parts.approvals(), reading, views, parts.json()).install(app);
        app.sse(
                "/api/runs/{id}/log/stream",
                client -> logStream.follow(client, ApiRoutes.runId(client.ctx()), LogStream.startOf(client.ctx())));
        app.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(parts.metrics().get()));
        app.get("/healthz", ctx -> {
            boolean ok = parts.health().ok();
            ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ok" : "database unreachable"));
        });
    }

    /** Before {@link #start}: every request, answered or refused, is handed to the observer. */
    public WebServer observeRequests(RequestObserver observer) {
        app.after(ctx -> observer.answered(ctx.method().name(), route(ctx), ctx.statusCode()));
        return this;
    }

    private static String route(io.javalin.http.Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() || path.equals("*") ? "(unmatched)" : path;
        } catch (RuntimeException e) {
            // no endpoint matched (a 404) or the request was refused before one was chosen
            return "(unmatched)";
        }
    }

    public WebServer start() {
        app.start();
        return this;
    }

    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        logStream.close();
        app.stop();
        // a server that never started has not taken the socket over
        listener.close();
    }
}
