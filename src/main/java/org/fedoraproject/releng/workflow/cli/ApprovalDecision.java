package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/** What {@code releng approve} and {@code releng deny} share: post the decision, say where the run stands. */
final class ApprovalDecision {

    private ApprovalDecision() {}

    /** {@code step}: the gate of a chain run to decide (null: the run's own approval, or its only waiting gate). */
    static int decide(RelengCli root, PrintWriter out, String run, String verdict, String comment, String step) {
        EngineClient client = root.client();
        long id = RunReference.parse(run).resolve(client);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (comment != null) {
            body.put("comment", comment);
        }
        if (step != null) {
            body.put("step", step);
        }
        JsonNode r = client.post("/api/runs/" + id + "/" + verdict, body).body();
        JsonNode gate = r.path("gate");
        if (gate.isObject()) {
            String outcome = gate.path("outcome").asText("");
            String stands = outcome.isEmpty()
                    ? "still waiting for approval (" + gate.path("approvals").asInt() + " of "
                            + gate.path("required").asInt() + ")"
                    : outcome.equals("approved") ? "approved; the chain goes on" : "rejected";
            out.println((verdict.equals("approve") ? "Approved" : "Denied") + " the gate of " + RelengCli.describe(r)
                    + "; it is " + stands + ": " + r.path("url").asText());
            out.flush();
            return ExitCode.OK.code;
        }
        JsonNode approval = r.path("approval");
        String status = r.path("status").asText();
        String where = switch (status) {
            case "waiting_approval" ->
                "still waiting for approval (" + approval.path("approvals").asInt() + " of "
                        + approval.path("required").asInt() + ")";
            case "rejected" -> "rejected";
            default -> "approved, now " + status;
        };
        out.println((verdict.equals("approve") ? "Approved " : "Denied ") + RelengCli.describe(r) + "; it is " + where
                + ": " + r.path("url").asText());
        out.flush();
        return ExitCode.OK.code;
    }
}
