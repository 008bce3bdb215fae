package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/** What {@code releng approve} and {@code releng deny} share: post the decision, say where the run stands. */
final class ApprovalDecision {

    private ApprovalDecision() {}

    static int decide(RelengCli root, PrintWriter out, String run, String verdict, String comment) {
        EngineClient client = root.client();
        long id = RunReference.parse(run).resolve(client);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (comment != null) {
            body.put("comment", comment);
        }
        JsonNode r = client.post("/api/runs/" + id + "/" + verdict, body).body();
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
