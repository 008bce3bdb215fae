package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** The last line of a followed run, and the exit code its status maps to. */
final class RunEnd {

    private RunEnd() {}

    static int report(JsonNode run, PrintWriter err) {
        String status = run.path("status").asText();
        StringBuilder line =
                new StringBuilder(RelengCli.describe(run)).append(' ').append(status);
        if (run.hasNonNull("exitCode") && !"succeeded".equals(status)) {
            line.append(" (exit code ").append(run.get("exitCode").asText()).append(')');
        }
        if ("rejected".equals(status)) {
            // who refused it and why: the last line of its history
            JsonNode history = run.path("transitions");
            if (history.isArray() && !history.isEmpty()) {
                line.append(" (")
                        .append(history.get(history.size() - 1).path("reason").asText())
                        .append(')');
            }
        }
        line.append(": ").append(run.path("url").asText());
        err.println(line);
        err.flush();
        return ExitCode.ofRunStatus(status).code;
    }
}
