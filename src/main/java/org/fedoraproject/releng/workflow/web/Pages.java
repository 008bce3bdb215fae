package org.fedoraproject.releng.workflow.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedoraproject.releng.workflow.access.Permission;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.catalog.CatalogService;
import org.fedoraproject.releng.workflow.catalog.InvalidParametersException;
import org.fedoraproject.releng.workflow.catalog.WorkflowDefinition;
import org.fedoraproject.releng.workflow.log.LogStore;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunQuery;
import org.fedoraproject.releng.workflow.run.RunService;
import org.fedoraproject.releng.workflow.run.RunStatus;

/**
 * Server-rendered pages at Jenkins-shaped URLs: {@code /}, {@code /job/<id>/},
 * {@code /job/<id>/<n>/} and {@code /job/<id>/<n>/consoleText} ({@link ConsolePage} serves
 * {@code /job/<id>/<n>/console}). They work without JavaScript; a
 * small script only follows a running console.
 */
final class Pages {

    /** The last part of a log that a run page embeds; the whole log is one click away. */
    static final long LOG_TAIL_BYTES = 256 * 1024;

    private static final int PAGE = 25;

    /** The most log lines a live run page keeps; older ones are in the console viewer. */
    static final int MAX_LIVE_LINES = 5000;

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final CatalogService catalog;
    private final RunService runs;
    private final LogStore logs;
    private final Reading reading;
    private final boolean loginAvailable;
    private final WebServer.NextDue nextDue;
    private final WebServer.MessagesOf messages;
    private RunResults results;

    Pages(
            CatalogService catalog,
            RunService runs,
            LogStore logs,
            Reading reading,
            boolean loginAvailable,
            WebServer.NextDue nextDue,
            WebServer.MessagesOf messages) {
        this.nextDue = nextDue;
        this.messages = messages;
        this.catalog = catalog;
        this.runs = runs;
        this.logs = logs;
        this.reading = reading;
        this.loginAvailable = loginAvailable;
    }

    /** Run pages then show the run's structure (tasks, recap, outputs) above the console. */
    private org.fedoraproject.releng.workflow.approval.ApprovalService approvals;

    /** Run pages then show a run's approval, with Approve and Deny for those who may; the dashboard lists waiting runs. */
    Pages withApprovals(org.fedoraproject.releng.workflow.approval.ApprovalService approvals) {
        this.approvals = approvals;
        return this;
    }

    Pages withResults(RunResults results) {
        this.results = results;
        return this;
    }

    void install(Javalin app) {
        app.get("/", this::dashboard);
        app.get("/job/{id}", this::workflow);
        app.get("/job/{id}/{number}", this::run);
        app.get("/job/{id}/{number}/consoleText", this::consoleText);
        app.get("/job/{id}/{number}/structure", this::structure);
        app.post("/job/{id}/build", this::build);
        app.post("/job/{id}/{number}/stop", this::stop);
        app.post("/job/{id}/{number}/resume", this::resume);
        app.get("/whoami", this::whoami);
        app.get(
                "/runs/{runId}",
                ctx -> ctx.redirect(Links.runPath(reading.run(
                        Authentication.principal(ctx),
                        ApiRoutes.parse(() -> Long.parseLong(ctx.pathParam("runId")))))));
    }

    private void dashboard(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Map<String, Run> latest = runs.latestByWorkflow();
        List<WorkflowRow> rows = new ArrayList<>();
        for (WorkflowDefinition w : catalog.current().workflows()) {
            if (reading.policy().canSee(principal, w)) {
                rows.add(new WorkflowRow(w, latest.get(w.id())));
            }
        }
        List<Run> active = runs.list(new RunQuery(
                null, Set.of(RunStatus.RUNNING, RunStatus.QUEUED), 100, null, reading.visibleWorkflows(principal)));
        Map<String, Object> model = model(ctx);
        model.put("rows", rows);
        model.put("active", active);
        model.put("broken", reading.broken(principal));
        model.put(
                "waiting",
                approvals == null
                        ? List.of()
                        : approvals.waiting().stream()
                                .filter(w -> reading.canSee(principal, w.run().workflowId()))
                                .toList());
        render(ctx, "dashboard.jte", model);
    }

    private void workflow(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        WorkflowDefinition w = reading.workflow(principal, ctx.pathParam("id"));
        String rebuild = ctx.queryParam("rebuild");
        if (rebuild == null) {
            renderWorkflow(ctx, w, null, Map.of());
            return;
        }
        // Rebuild: the Run form filled from an earlier run (its secrets were never kept)
        Run from = reading.run(principal, w.id(), ApiRoutes.parse(() -> Long.parseLong(rebuild)));
        renderWorkflow(ctx, w, RunForm.fromRun(w, from), Map.of());
    }

    private void renderWorkflow(
            Context ctx, WorkflowDefinition w, Map<String, List<String>> submitted, Map<String, String> errors) {
        Principal principal = Authentication.principal(ctx);
        Long before = ctx.queryParam("before") == null
                ? null
                : ApiRoutes.parse(() -> Long.parseLong(ctx.queryParam("before")));
        List<Run> page = runs.list(new RunQuery(w.id(), Set.of(), PAGE, before, null));
        Map<String, Object> model = model(ctx);
        model.put("workflow", w);
        model.put("canRun", reading.policy().allows(principal, Permission.RUN, w));
        model.put("submitted", submitted);
        model.put("errors", errors);
        model.put("runs", page);
        model.put(
                "nextBefore",
                page.size() < PAGE ? null : page.get(page.size() - 1).id());
        model.put("nextDue", w.schedule().isPresent() ? nextDue.of(w.id()).orElse(null) : null);
        model.put("trend", RunDurations.trend(page));
        model.put("reason", ctx.method() == io.javalin.http.HandlerType.POST ? ctx.formParam("reason") : null);
        render(ctx, "workflow.jte", model);
    }

    private void run(Context ctx) throws IOException {
        Principal principal = Authentication.principal(ctx);
        Run run = reading.run(principal, ctx.pathParam("id"), number(ctx));
        long end = logs.size(run.id());
        long start = Math.max(0, end - LOG_TAIL_BYTES);
        String text;
        try (InputStream in = logs.read(run.id(), start, end)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long skippedTo = 0;
        if (start > 0) {
            // do not show a half line at the cut
            int newline = text.indexOf('\n');
            text = newline >= 0 ? text.substring(newline + 1) : text;
            // the last line not shown: the "skipped" marker opens the whole log there
            skippedTo = logs.lineAt(run.id(), start + (newline >= 0 ? newline + 1 : 0)) - 1;
        }
        Map<String, Object> model = model(ctx);
        model.put("run", run);
        model.put(
                "canCancel",
                !run.status().isFinal() && reading.policy().allows(principal, Permission.CANCEL, reading.access(run)));
        model.put(
                "title",
                reading.definitionOf(run).map(WorkflowDefinition::title).orElse(run.workflowId()));
        model.put("transitions", runs.transitions(run.id()));
        model.put("messages", messages.of(run.id()));
        model.put("triggeredBy", runs.message(run.id()).orElse(null));
        model.put("structure", structureOf(run));
        model.put("waitingFor", reading.waitingFor(principal, run).orElse(null));
        model.put("logText", text);
        model.put("logStart", start);
        model.put("skippedTo", Math.max(1, skippedTo));
        model.put("logEnd", end);
        model.put(
                "canRebuild",
                reading.definitionOf(run).isPresent()
                        && reading.policy()
                                .allows(
                                        principal,
                                        Permission.RUN,
                                        reading.definitionOf(run).get()));
        model.put(
                "expectedSeconds",
                run.status().isFinal()
                        ? null
                        : RunDurations.medianSeconds(runs.list(new RunQuery(
                                run.workflowId(), Set.of(RunStatus.SUCCEEDED), RunDurations.SAMPLE, null, null))));
        model.put("maxLiveLines", MAX_LIVE_LINES);
        model.put("approval", approvalPanel(principal, run));
        model.put("gates", gatePanels(principal, run));
        chainModel(principal, run, model);
        render(ctx, "run.jte", model);
    }

    private ApprovalPanel approvalPanel(Principal principal, Run run) {
        if (approvals == null) {
            return null;
        }
        return approvals
                .of(run.id())
                .map(a -> {
                    boolean waiting = run.status() == RunStatus.WAITING_APPROVAL;
                    String whyNot = waiting
                            ? ApprovalRoutes.whyNot(approvals, reading, principal, run, a)
                                    .orElse(null)
                            : null;
                    return new ApprovalPanel(a, waiting, whyNot);
                })
                .orElse(null);
    }

    /** A chain run's approval gates, each with its Approve/Deny while the chain waits at it. */
    private List<ApprovalPanel> gatePanels(Principal principal, Run run) {
        if (approvals == null) {
            return List.of();
        }
        return approvals.gates(run.id()).stream()
                .map(a -> {
                    boolean waiting =
                            run.status() == RunStatus.RUNNING && a.outcome().isEmpty();
                    String whyNot = waiting
                            ? ApprovalRoutes.whyNot(approvals, reading, principal, run, a)
                                    .orElse(null)
                            : null;
                    return new ApprovalPanel(a, waiting, whyNot);
                })
                .toList();
    }

    /** The run page's structure section alone, which its script fetches while the run goes on. */
    private void structure(Context ctx) {
        Run run = reading.run(Authentication.principal(ctx), ctx.pathParam("id"), number(ctx));
        Map<String, Object> model = new HashMap<>();
        model.put("run", run);
        model.put("structure", structureOf(run));
        render(ctx, "run-structure.jte", model);
    }

    private RunStructure structureOf(Run run) {
        return results == null
                ? new RunStructure(false, false, null, null, List.of(), List.of(), false, List.of(), List.of())
                : RunStructure.of(run, results.store());
    }

    private void consoleText(Context ctx) throws IOException {
        Run run = reading.run(Authentication.principal(ctx), ctx.pathParam("id"), number(ctx));
        ctx.contentType("text/plain; charset=utf-8");
        ctx.result(logs.read(run.id(), 0, logs.size(run.id())));
    }

    /** {@code POST /job/<id>/build}, as Jenkins names it: the Run form; invalid values re-render it. */
    private void build(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        WorkflowDefinition w = reading.workflow(principal, ctx.pathParam("id"));
        reading.policy().require(principal, Permission.RUN, w);
        Cause cause =
                principal.kind() == Principal.Kind.USER ? Cause.manual(principal.name()) : Cause.api(principal.name());
        Run run;
        try {
            String reason = ctx.formParam("reason");
            Cause.checkReason(reason).ifPresent(problem -> {
                throw new InvalidParametersException(Map.of("reason", problem));
            });
            run = runs.trigger(
                    w.id(), RunForm.parameters(ctx, w), RunForm.options(ctx), cause.because(reason), principal);
        } catch (InvalidParametersException e) {
            ctx.status(HttpStatus.BAD_REQUEST);
            renderWorkflow(ctx, w, RunForm.submitted(ctx, w), e.fields());
            return;
        }
        ctx.redirect(Links.runPath(run), HttpStatus.SEE_OTHER);
    }

    /** A chain's steps, the chain of a step run, and the resume links and button. */
    private void chainModel(Principal principal, Run run, Map<String, Object> model) {
        ChainViews chains = new ChainViews(runs, reading, Links::runPath);
        model.put("chainSteps", chains.steps(principal, run));
        model.put("chainRun", chains.chainOf(principal, run).orElse(null));
        model.put("resumes", chains.resumes(principal, run).orElse(null));
        model.put("resumedBy", chains.resumedBy(principal, run).orElse(null));
        model.put(
                "canResume",
                run.status() == RunStatus.FAILED
                        && runs.orchestrator()
                                .map(o -> o.orchestrates(run.id()))
                                .orElse(false)
                        && Boolean.TRUE.equals(model.get("canRebuild")));
    }

    /** {@code POST /job/<id>/<n>/resume}: the Resume button of a failed chain. */
    private void resume(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Run run = reading.run(principal, ctx.pathParam("id"), number(ctx));
        reading.policy().require(principal, Permission.RUN, runs.workflow(run.workflowId()));
        Run fresh = runs.orchestrator()
                .orElseThrow(() -> new HttpErrors.BadRequest("this engine runs no chains"))
                .resume(run.id(), null, principal.name());
        ctx.redirect(Links.runPath(fresh), HttpStatus.SEE_OTHER);
    }

    /** {@code POST /job/<id>/<n>/stop}, as Jenkins names it: the Cancel button. */
    private void stop(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Run run = reading.run(principal, ctx.pathParam("id"), number(ctx));
        reading.policy().require(principal, Permission.CANCEL, reading.access(run));
        runs.cancel(run.id(), principal.name(), "cancelled by " + principal.name());
        ctx.redirect(Links.runPath(run), HttpStatus.SEE_OTHER);
    }

    private void whoami(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        Map<String, Object> model = model(ctx);
        model.put(
                "kind",
                principal.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        model.put("groups", principal.groups().stream().sorted().toList());
        model.put("grants", reading.policy().whoami(principal, catalog.current().workflows()));
        render(ctx, "whoami.jte", model);
    }

    void error(Context ctx, HttpStatus status, String message) {
        Map<String, Object> model = model(ctx);
        model.put("status", status.getCode());
        model.put("message", message);
        render(ctx, "error.jte", model);
    }

    private static long number(Context ctx) {
        return ApiRoutes.parse(() -> Long.parseLong(ctx.pathParam("number")));
    }

    Map<String, Object> model(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        String csrf = Authentication.session(ctx).map(s -> s.csrfToken()).orElse(null);
        String path = ctx.method() == io.javalin.http.HandlerType.GET
                ? ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString())
                : "/";
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", new Viewer(principal.name(), csrf, loginAvailable, path));
        return model;
    }

    void render(Context ctx, String template, Map<String, Object> model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        ctx.html(out.toString());
    }
}
