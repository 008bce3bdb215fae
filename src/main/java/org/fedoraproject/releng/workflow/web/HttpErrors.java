package org.fedoraproject.releng.workflow.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedoraproject.releng.workflow.EngineException;
import org.fedoraproject.releng.workflow.NotFoundException;
import org.fedoraproject.releng.workflow.access.AccessDeniedException;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.approval.ApprovalRefusedException;
import org.fedoraproject.releng.workflow.catalog.InvalidParametersException;
import org.fedoraproject.releng.workflow.log.SearchRejectedException;
import org.fedoraproject.releng.workflow.run.IllegalTransitionException;
import org.fedoraproject.releng.workflow.run.RunSkippedException;
import org.fedoraproject.releng.workflow.run.WorkflowBrokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where domain exceptions become HTTP statuses: JSON for the API, a page for people. */
final class HttpErrors {

    private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

    /** Thrown by handlers for malformed requests (bad JSON, a non-numeric id). */
    static final class BadRequest extends EngineException {
        private static final long serialVersionUID = 1L;

        private final Map<String, String> fields;

        BadRequest(String message) {
            this(message, Map.of());
        }

        private BadRequest(String message, Map<String, String> fields) {
            super(message);
            this.fields = fields;
        }

        /** One named field of the request is wrong: the body's {@code fields} says which, as for parameters. */
        static BadRequest field(String name, String problem) {
            return new BadRequest(name + ": " + problem, Map.of(name, problem));
        }
    }

    /** Refused for a reason other than a missing permission, such as a missing CSRF token. */
    static final class Forbidden extends EngineException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message);
        }
    }

    private HttpErrors() {}

    static void install(Javalin app, Pages pages) {
        app.exception(InvalidParametersException.class, (e, ctx) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "invalid parameters");
            body.put("fields", e.fields());
            respond(ctx, pages, HttpStatus.BAD_REQUEST, body, "Invalid parameters: " + e.fields());
        });
        app.exception(AuthenticationRequiredException.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"releng\"");
            respond(ctx, pages, HttpStatus.UNAUTHORIZED, Map.of("error", e.getMessage()), e.getMessage());
        });
        app.exception(AccessDeniedException.class, (e, ctx) -> {
            if (e.anonymous()) {
                // not refused, just not known yet: log in (pages) or send a token (API)
                ctx.header("WWW-Authenticate", "Bearer realm=\"releng\"");
                String message = e.getMessage().replaceFirst("; you have .*$", "")
                        + ": log in or send Authorization: Bearer <token>";
                respond(ctx, pages, HttpStatus.UNAUTHORIZED, Map.of("error", message), message);
            } else {
                respond(ctx, pages, HttpStatus.FORBIDDEN, Map.of("error", e.getMessage()), e.getMessage());
            }
        });
        app.exception(
                NotFoundException.class,
                (e, ctx) -> respond(ctx, pages, HttpStatus.NOT_FOUND, Map.of("error", e.getMessage()), e.getMessage()));
        app.exception(BadRequest.class, (e, ctx) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            if (!e.fields.isEmpty()) {
                body.put("fields", e.fields);
            }
            respond(ctx, pages, HttpStatus.BAD_REQUEST, body, e.getMessage());
        });
        app.exception(SearchRejectedException.class, (e, ctx) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("fields", Map.of(e.field(), e.problem()));
            respond(ctx, pages, HttpStatus.BAD_REQUEST, body, e.getMessage());
        });
        app.exception(
                ApprovalRefusedException.class,
                (e, ctx) -> respond(ctx, pages, HttpStatus.FORBIDDEN, Map.of("error", e.getMessage()), e.getMessage()));
        app.exception(
                Forbidden.class,
                (e, ctx) -> respond(ctx, pages, HttpStatus.FORBIDDEN, Map.of("error", e.getMessage()), e.getMessage()));
        app.exception(
                IllegalTransitionException.class,
                (e, ctx) -> respond(ctx, pages, HttpStatus.CONFLICT, Map.of("error", e.getMessage()), e.getMessage()));
        app.exception(
                RunSkippedException.class,
                (e, ctx) -> respond(ctx, pages, HttpStatus.CONFLICT, Map.of("error", e.getMessage()), e.getMessage()));
        app.exception(
                WorkflowBrokenException.class,
                (e, ctx) -> respond(ctx, pages, HttpStatus.CONFLICT, Map.of("error", e.getMessage()), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            respond(
                    ctx,
                    pages,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    Map.of("error", "internal error; the engine log has the details"),
                    "Internal error.");
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                respond(
                        ctx,
                        pages,
                        HttpStatus.NOT_FOUND,
                        Map.of("error", "no such page: " + ctx.path()),
                        "No such page.");
            }
        });
    }

    private static void respond(Context ctx, Pages pages, HttpStatus status, Map<String, ?> json, String text) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/") || ctx.path().equals("/healthz")) {
            ctx.json(json);
        } else {
            pages.error(ctx, status, text);
        }
    }
}
