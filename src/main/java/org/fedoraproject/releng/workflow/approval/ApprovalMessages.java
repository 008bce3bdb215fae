package org.fedoraproject.releng.workflow.approval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.fedoraproject.releng.workflow.run.Announcement;
import org.fedoraproject.releng.workflow.run.Links;
import org.fedoraproject.releng.workflow.run.Run;

/**
 * The bodies of {@code releng.workflow.approval.request} (a run starts waiting) and {@code
 * releng.workflow.approval.decision} (each decision), so that approvers and starters can be
 * notified. Parameters are left out: the run page has them for those who may read it.
 */
final class ApprovalMessages {

    static final String REQUEST = "releng.workflow.approval.request";
    static final String DECISION = "releng.workflow.approval.decision";

    private final Links links;

    ApprovalMessages(Links links) {
        this.links = links;
    }

    Announcement request(Run run, String title, Approval a, Instant at) {
        ObjectNode body = common(run, title, a);
        body.put("requested_at", a.requestedAt().toString());
        return announce(REQUEST, body, at, a.starter() == null ? List.of() : List.of(a.starter()));
    }

    Announcement decision(Run run, String title, Approval a, Decision d) {
        ObjectNode body = common(run, title, a);
        body.put("decision", d.verdict().id());
        body.put("by", d.by());
        body.put("comment", d.comment());
        body.put("at", d.at().toString());
        body.put("approvals", a.approvals());
        body.put("remaining", a.outcome().isPresent() && a.remaining() > 0 ? 0 : a.remaining());
        body.put("outcome", a.outcome().map(Verdict::id).orElse(null));
        List<String> users = new ArrayList<>();
        if (!"engine".equals(d.by())) {
            users.add(d.by());
        }
        if (a.starter() != null && !users.contains(a.starter())) {
            users.add(a.starter());
        }
        return announce(DECISION, body, d.at(), users);
    }

    private ObjectNode common(Run run, String title, Approval a) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("run_id", run.id());
        body.put("run_number", run.number());
        body.put("url", links.run(run));
        body.put("workflow", run.workflowId());
        // a chain's gate: the step the chain waits at (absent for a run's own approval)
        if (a.isGate()) {
            body.put("step", a.step());
        }
        body.put("workflow_title", title);
        body.put("agent", a.starter());
        ObjectNode cause = body.putObject("cause");
        cause.put("type", run.cause().type());
        cause.put("user", run.cause().user());
        cause.put("detail", run.cause().detail());
        cause.put("reason", run.cause().reason());
        body.put("required", a.required());
        body.put("deadline", a.deadline().toString());
        return body;
    }

    private static Announcement announce(String topic, ObjectNode body, Instant at, List<String> users) {
        return new Announcement(UUID.randomUUID().toString(), topic, body, at, users);
    }
}
