package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fedoraproject.releng.workflow.access.Permission;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.catalog.BrokenWorkflow;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunQuery;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.run.RunStatus;

/** The JSON API of DESIGN.md, version 1. */
final class ApiRoutes {

    private final CatalogService catalog;
    private final RunService runs;
    private final LogStore logs;
    private final Reading reading;
    private final Views views;
    private final ObjectMapper json;
    private final WebServer.MessagesOf messages;
    private RunResults results;

    ApiRoutes(
            CatalogService catalog,
            RunService runs,
            LogStore logs,
            Reading reading,
            Views views,
            ObjectMapper json,
            WebServer.MessagesOf messages) {
        this.messages = messages;
        this.catalog = catalog;
        this.runs = runs;
        this.logs = logs;
        this.reading = reading;
        this.views = views;
        this.json = json;
    }

    private org.fedoraproject.releng.workflow.approval.ApprovalService approvals;

    /** The run JSON then carries its {@code approval} (required count, deadline, decisions), if it has one. */
    ApiRoutes withApprovals(org.fedoraproject.releng.workflow.approval.ApprovalService approvals) {
        this.approvals = approvals;
        return this;
    }

    /** The run JSON then carries what the run's events tell (hosts, outputs, dry run). */
    ApiRoutes withResults(RunResults results) {
        this.results = results;
        return this;
    }

    void install(Javalin app) {
        app.get("/api/workflows", this::workflows);
        app.get("/api/workflows/{id}", this::workflow);
        app.post("/api/workflows/{id}/runs", this::trigger);
        app.get("/api/workflows/{id}/runs/{number}", this::runByNumber);
        app.get("/api/runs", this::list);
        app.get("/api/runs/{id}", this::run);
        app.get("/api/runs/{id}/log", this::log);
        app.post("/api/runs/{id}/cancel", this::cancel);
        app.post("/api/runs/{id}/relaunch", this::relaunch);
        app.post("/api/runs/{id}/resume", this::resume);
        app.get("/api/whoami", this::whoami);
    }

    private void workflows(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Map<String, Run> latest = runs.latestByWorkflow();
        List<Object> result = new ArrayList<>();
        for (WorkflowDefinition w : catalog.current().workflows()) {
            if (reading.policy().canSee(principal, w)) {
                result.add(views.workflow(w, latest.get(w.id())));
            }
        }
        for (BrokenWorkflow b : reading.broken(principal)) {
            result.add(views.broken(b));
        }
        ctx.json(Map.of("workflows", result));
    }

    private void workflow(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        String id = ctx.pathParam("id");
        var broken = reading.broken(principal, id);
        if (broken.isPresent()) {
            ctx.json(views.broken(broken.get()));
            return;
        }
        WorkflowDefinition w = reading.workflow(principal, id);
        List<Run> recent = runs.list(new RunQuery(id, Set.of(), 20, null, null));
        Map<String, Object> body = views.workflow(w, recent.isEmpty() ? null : recent.get(0));
        body.put("runs", listed(recent));
        ctx.json(body);
    }

    private void trigger(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        WorkflowDefinition w = reading.workflow(principal, ctx.pathParam("id"));
        reading.policy().require(principal, Permission.RUN, w);
        JsonNode body = body(ctx);
        Cause cause =
                principal.kind() == Principal.Kind.USER ? Cause.manual(principal.name()) : Cause.api(principal.name());
        JsonNode givenCause = body.get("cause");
        if (givenCause != null && !givenCause.isNull()) {
            // a Jenkins pipeline names itself; other causes are the engine's to give
            if (!givenCause.isObject()
                    || !"pipeline".equals(givenCause.path("type").asText())) {
                throw new HttpErrors.BadRequest(
                        "`cause` may only be {\"type\": \"pipeline\", \"detail\": \"<build URL>\"}");
            }
            String detail = givenCause.path("detail").asText(null);
            cause = new Cause(
                    "pipeline",
                    principal.name(),
                    detail == null || detail.isBlank() ? null : detail.substring(0, Math.min(detail.length(), 1000)));
        }
        Run run = runs.trigger(
                w.id(), objectField(body, "parameters"), body.get("options"), cause.because(reason(body)), principal);
        ctx.status(HttpStatus.CREATED);
        ctx.header("Location", "/api/runs/" + run.id());
        ctx.json(views.run(run));
    }

    private void relaunch(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Run original = reading.run(principal, runId(ctx));
        reading.policy().require(principal, Permission.RUN, runs.workflow(original.workflowId()));
        JsonNode body = body(ctx);
        Run run = runs.relaunch(original.id(), objectField(body, "parameters"), principal, reason(body));
        ctx.status(HttpStatus.CREATED);
        ctx.header("Location", "/api/runs/" + run.id());
        ctx.json(views.run(run));
    }

    /** A failed chain again, from its failed steps: {@code run} on the chain, 409 unless it failed. */
    private void resume(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Run original = reading.run(principal, runId(ctx));
        reading.policy().require(principal, Permission.RUN, runs.workflow(original.workflowId()));
        JsonNode body = ctx.body().isBlank() ? JsonNodeFactory.instance.objectNode() : body(ctx);
        Run run = runs.orchestrator()
                .orElseThrow(() -> new HttpErrors.BadRequest("this engine runs no chains"))
                .resume(original.id(), objectField(body, "parameters"), principal.name());
        ctx.status(HttpStatus.CREATED);
        ctx.header("Location", "/api/runs/" + run.id());
        ctx.json(views.run(run));
    }

    private JsonNode body(Context ctx) {
        return RequestJson.object(json, ctx.body(), "{\"parameters\": {...}}");
    }

    /** The optional {@code reason} of a trigger or relaunch body: one short line of text. */
    static String reason(JsonNode body) {
        JsonNode given = body.get("reason");
        if (given == null || given.isNull()) {
            return null;
        }
        if (!given.isTextual()) {
            throw HttpErrors.BadRequest.field("reason", "must be a string");
        }
        return checkedReason(given.asText());
    }

    /** A reason from the API or the Run form, refused with a 400 naming the field when it does not fit. */
    static String checkedReason(String reason) {
        Cause.checkReason(reason).ifPresent(problem -> {
            throw HttpErrors.BadRequest.field("reason", problem);
        });
        return reason;
    }

    private static ObjectNode objectField(JsonNode body, String name) {
        JsonNode given = body.get(name);
        if (given == null || given.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!given.isObject()) {
            throw new HttpErrors.BadRequest("`" + name + "` must be a JSON object");
        }
        return (ObjectNode) given;
    }

    private void list(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        String workflow = ctx.queryParam("workflow");
        Set<RunStatus> statuses = ctx.queryParam("status") == null
                ? Set.of()
                : Arrays.stream(ctx.queryParam("status").split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .map(s -> parse(() -> RunStatus.parse(s)))
                        .collect(Collectors.toSet());
        int limit = ctx.queryParam("limit") == null ? 50 : parse(() -> Integer.parseInt(ctx.queryParam("limit")));
        Long before = ctx.queryParam("before") == null ? null : parse(() -> Long.parseLong(ctx.queryParam("before")));
        RunQuery query = new RunQuery(workflow, statuses, limit, before, reading.visibleWorkflows(principal));
        List<Run> page = runs.list(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", listed(page));
        body.put(
                "next",
                page.size() < query.limit()
                        ? null
                        : nextPage(ctx, page.get(page.size() - 1).id()));
        ctx.json(body);
    }

    private List<Map<String, Object>> listed(List<Run> page) {
        return results == null ? page.stream().map(views::run).toList() : results.briefs(page, views::run);
    }

    private static String nextPage(Context ctx, long lastId) {
        StringBuilder sb = new StringBuilder("/api/runs?before=").append(lastId);
        for (String key : List.of("workflow", "status", "limit")) {
            String value = ctx.queryParam(key);
            if (value != null) {
                sb.append('&')
                        .append(key)
                        .append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    /** A run named as people name it ({@code hello #2}): the same answer as {@code /api/runs/{id}}. */
    private void runByNumber(Context ctx) {
        long number = parse(() -> Long.parseLong(ctx.pathParam("number")));
        runJson(ctx, reading.run(Authentication.principal(ctx), ctx.pathParam("id"), number));
    }

    private void run(Context ctx) {
        runJson(ctx, reading.run(Authentication.principal(ctx), runId(ctx)));
    }

    private void runJson(Context ctx, Run run) {
        Map<String, Object> body = views.run(run);
        if (results != null) {
            body.putAll(results.of(run));
        }
        if (approvals != null) {
            body.put(
                    "approval", approvals.of(run.id()).map(ApprovalRoutes::json).orElse(null));
        }
        body.put(
                "transitions",
                runs.transitions(run.id()).stream().map(views::transition).toList());
        body.put("messages", messages.of(run.id()));
        body.put("triggeredBy", runs.message(run.id()).map(Views::message).orElse(null));
        body.put(
                "waitingFor",
                reading.waitingFor(Authentication.principal(ctx), run)
                        .map(views::waitingFor)
                        .orElse(null));
        body.putAll(new ChainViews(runs, reading, r -> (String) views.run(r).get("url"))
                .json(Authentication.principal(ctx), run));
        withGateApprovals(body, run);
        ctx.json(body);
    }

    /**
     * A gate's step entry carries its approval as the run's {@code approval} does, once the chain
     * reached the gate; gates are never hidden steps, and a hidden entry has no id to match.
     */
    @SuppressWarnings("unchecked")
    private void withGateApprovals(Map<String, Object> body, Run run) {
        if (approvals == null || !(body.get("steps") instanceof List<?> steps)) {
            return;
        }
        Map<String, Object> byStep = new java.util.HashMap<>();
        approvals.gates(run.id()).forEach(a -> byStep.put(a.step(), ApprovalRoutes.json(a)));
        for (Object entry : steps) {
            Map<String, Object> step = (Map<String, Object>) entry;
            Object id = step.get("id");
            if (id != null && byStep.containsKey(id)) {
                step.put("approval", byStep.get(id));
            }
        }
    }

    /** Jenkins' progressiveText: bytes from {@code start} to the current end, and whether more will come. */
    private void log(Context ctx) throws IOException {
        Run run = reading.run(Authentication.principal(ctx), runId(ctx));
        long start = ctx.queryParam("start") == null ? 0 : parse(() -> Long.parseLong(ctx.queryParam("start")));
        if (start < 0) {
            throw new HttpErrors.BadRequest("start must be 0 or more");
        }
        // read the status first: if it is final now, everything it wrote is already in the file
        boolean more = !runs.find(run.id()).status().isFinal();
        long size = logs.size(run.id());
        ctx.header("X-Text-Size", Long.toString(Math.max(size, Math.min(start, size))));
        ctx.header("X-More-Data", Boolean.toString(more));
        ctx.contentType("text/plain; charset=utf-8");
        ctx.result(logs.read(run.id(), start, size));
    }

    private void cancel(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Run run = reading.run(principal, runId(ctx));
        reading.policy().require(principal, Permission.CANCEL, reading.access(run));
        Run after = runs.cancel(run.id(), principal.name(), "cancelled by " + principal.name());
        ctx.status(after.status() == RunStatus.CANCELLED ? HttpStatus.OK : HttpStatus.ACCEPTED);
        ctx.json(views.run(after));
    }

    private void whoami(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", principal.name());
        body.put("kind", principal.kind().name().toLowerCase(java.util.Locale.ROOT));
        body.put("groups", principal.groups().stream().sorted().toList());
        Authentication.session(ctx).ifPresent(s -> body.put("csrfToken", s.csrfToken()));
        body.put(
                "permissions",
                reading.policy().whoami(principal, catalog.current().workflows()));
        ctx.json(body);
    }

    static long runId(Context ctx) {
        return parse(() -> Long.parseLong(ctx.pathParam("id")));
    }

    interface Parser<T> {
        T parse();
    }

    static <T> T parse(Parser<T> parser) {
        try {
            return parser.parse();
        } catch (IllegalArgumentException e) {
            throw new HttpErrors.BadRequest(
                    e instanceof NumberFormatException ? "not a number: " + e.getMessage() : e.getMessage());
        }
    }
}
