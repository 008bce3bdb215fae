package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.access.AuthenticationRequiredException;
import org.fedoraproject.releng.workflow.access.Permission;
import org.fedoraproject.releng.workflow.access.Principal;
import org.fedoraproject.releng.workflow.approval.Approval;
import org.fedoraproject.releng.workflow.approval.ApprovalService;
import org.fedoraproject.releng.workflow.approval.Verdict;
import org.fedoraproject.releng.workflow.run.Cause;
import org.fedoraproject.releng.workflow.run.IllegalTransitionException;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;
import org.fedoraproject.releng.workflow.run.RunStatus;

/**
 * Approvals over HTTP: the list of runs the caller may decide, the API's approve and deny, and
 * the run page's Approve and Deny buttons (a plain form, so it works without JavaScript).
 */
final class ApprovalRoutes {

    private final ApprovalService approvals;
    private final Reading reading;
    private final Views views;
    private final ObjectMapper json;

    ApprovalRoutes(ApprovalService approvals, Reading reading, Views views, ObjectMapper json) {
        this.approvals = approvals;
        this.reading = reading;
        this.views = views;
        this.json = json;
    }

    void install(Javalin app) {
        app.get("/api/approvals", this::list);
        app.post("/api/runs/{id}/approve", ctx -> decideApi(ctx, Verdict.APPROVED));
        app.post("/api/runs/{id}/deny", ctx -> decideApi(ctx, Verdict.DENIED));
        app.post("/job/{id}/{number}/approve", ctx -> decidePage(ctx, Verdict.APPROVED));
        app.post("/job/{id}/{number}/deny", ctx -> decidePage(ctx, Verdict.DENIED));
    }

    private void list(Context ctx) {
        Principal principal = Authentication.principal(ctx);
        List<Map<String, Object>> waiting =
                approvals.waitingFor(principal, workflow -> mayApprove(principal, workflow)).stream()
                        .filter(w -> reading.canSee(principal, w.run().workflowId()))
                        .map(w -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("run", views.run(w.run()));
                            m.put("workflow", w.run().workflowId());
                            m.put("number", w.run().number());
                            // a chain's gate: decided on the chain run, naming the step
                            m.put("step", w.approval().step());
                            m.put("starter", w.approval().starter());
                            m.put("requestedAt", Views.time(w.approval().requestedAt()));
                            m.put("deadline", Views.time(w.approval().deadline()));
                            m.put("required", w.approval().required());
                            m.put("approvals", w.approval().approvals());
                            m.put("decisions", decisions(w.approval()));
                            return m;
                        })
                        .toList();
        ctx.json(Map.of("approvals", waiting));
    }

    private void decideApi(Context ctx, Verdict verdict) {
        Principal principal = Authentication.principal(ctx);
        Run run = reading.run(principal, ApiRoutes.runId(ctx));
        JsonNode body = ctx.body().isBlank()
                ? json.createObjectNode()
                : RequestJson.object(json, ctx.body(), "{\"comment\": \"…\"}");
        JsonNode given = body.get("comment");
        if (given != null && !given.isNull() && !given.isTextual()) {
            throw HttpErrors.BadRequest.field("comment", "must be a string");
        }
        JsonNode step = body.get("step");
        if (step != null && !step.isNull() && !step.isTextual()) {
            throw HttpErrors.BadRequest.field("step", "must be the id of a step (a gate) of the chain");
        }
        Approval.Key key = key(run, step == null || step.isNull() ? null : step.asText());
        Run after = decide(principal, run, key, verdict, given == null || given.isNull() ? null : given.asText());
        Map<String, Object> answer = views.run(after);
        answer.put(
                "approval", approvals.of(after.id()).map(ApprovalRoutes::json).orElse(null));
        if (key.step() != null) {
            answer.put(
                    "gate",
                    approvals.gates(after.id()).stream()
                            .filter(a -> a.step().equals(key.step()))
                            .findFirst()
                            .map(ApprovalRoutes::json)
                            .orElse(null));
        }
        ctx.status(HttpStatus.OK).json(answer);
    }

    private void decidePage(Context ctx, Verdict verdict) {
        Principal principal = Authentication.principal(ctx);
        long number = ApiRoutes.parse(() -> Long.parseLong(ctx.pathParam("number")));
        Run run = reading.run(principal, ctx.pathParam("id"), number);
        String step = ctx.formParam("step");
        decide(
                principal,
                run,
                key(run, step == null || step.isBlank() ? null : step),
                verdict,
                ctx.formParam("comment"));
        ctx.redirect(Links.runPath(run), HttpStatus.SEE_OTHER);
    }

    /**
     * What a decision about {@code run} decides: its own approval, or a gate its chain run waits
     * at: the one named, or the only one waiting (several waiting and none named is a 409).
     */
    private Approval.Key key(Run run, String step) {
        if (step != null) {
            return new Approval.Key(run.id(), step);
        }
        if (run.status() == RunStatus.WAITING_APPROVAL) {
            return Approval.Key.of(run.id());
        }
        List<Approval> gates = approvals.openGates(run.id());
        if (gates.size() > 1) {
            throw new IllegalTransitionException(run.label() + " waits at several gates ("
                    + String.join(", ", gates.stream().map(Approval::step).toList())
                    + "); say which with {\"step\": \"…\"}");
        }
        return gates.isEmpty() ? Approval.Key.of(run.id()) : gates.get(0).key();
    }

    private Run decide(Principal principal, Run run, Approval.Key key, Verdict verdict, String comment) {
        if (principal.isAnonymous()) {
            throw new AuthenticationRequiredException("deciding an approval needs a login or a bearer token");
        }
        String given = comment == null || comment.isBlank() ? null : comment.strip();
        Cause.checkReason(given).ifPresent(problem -> {
            throw HttpErrors.BadRequest.field("comment", problem);
        });
        return approvals.decide(key, principal, mayApprove(approvals, reading, principal, run), verdict, given);
    }

    /** Whether {@code principal} holds approve where the run's approval is decided (a step's: on its chain). */
    private static boolean mayApprove(ApprovalService approvals, Reading reading, Principal principal, Run run) {
        Optional<String> elsewhere = approvals
                .of(run.id())
                .map(a -> a.decidedOn(run.workflowId()))
                .filter(workflow -> !workflow.equals(run.workflowId()));
        return elsewhere.isPresent()
                ? reading.policy().allows(principal, Permission.APPROVE, reading.accessOf(elsewhere.get()))
                : reading.policy().allows(principal, Permission.APPROVE, reading.access(run));
    }

    private boolean mayApprove(Principal principal, String workflowId) {
        return reading.policy().allows(principal, Permission.APPROVE, reading.accessOf(workflowId));
    }

    /** The run JSON's {@code approval}: what it needs, until when, and every decision so far. */
    static Map<String, Object> json(Approval a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("required", a.required());
        m.put("approvals", a.approvals());
        m.put("remaining", a.outcome().isPresent() ? 0 : a.remaining());
        m.put("deadline", Views.time(a.deadline()));
        m.put("requestedAt", Views.time(a.requestedAt()));
        m.put("starter", a.starter());
        m.put("outcome", a.outcome().map(Verdict::id).orElse(null));
        m.put("decisions", decisions(a));
        return m;
    }

    private static List<Map<String, Object>> decisions(Approval a) {
        return a.decisions().stream()
                .map(d -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("by", d.by());
                    m.put("decision", d.verdict().id());
                    m.put("comment", d.comment());
                    m.put("at", Views.time(d.at()));
                    return m;
                })
                .toList();
    }

    /** What the run page needs: the approval, and whether (or why not) the viewer may decide. */
    static Optional<String> whyNot(
            ApprovalService approvals, Reading reading, Principal principal, Run run, Approval a) {
        if (principal.isAnonymous()) {
            return Optional.of("log in to approve or deny");
        }
        boolean holds = mayApprove(approvals, reading, principal, run);
        Optional<String> refused = approvals.refusal(run, a, principal, holds);
        if (refused.isEmpty() && a.decidedBy(principal.name())) {
            return Optional.of("you have decided this run already; it needs " + a.remaining()
                    + " more approval(s) from other people");
        }
        return refused;
    }
}
