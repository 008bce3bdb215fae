package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists the workflows you may see, with their last run.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print the engine's JSON answer")
    boolean asJson;

    @Override
    public Integer call() {
        JsonNode body = root.client().get("/api/workflows");
        PrintWriter out = spec.commandLine().getOut();
        if (asJson) {
            root.printJson(out, body);
            return ExitCode.OK.code;
        }
        int width = "WORKFLOW".length();
        for (JsonNode w : body.path("workflows")) {
            width = Math.max(width, w.path("id").asText().length());
        }
        String format = "%-" + width + "s  %-22s  %s%n";
        out.printf(format, "WORKFLOW", "LAST RUN", "TITLE");
        for (JsonNode w : body.path("workflows")) {
            if (w.path("broken").asBoolean()) {
                out.printf(format, w.path("id").asText(), "BROKEN", String.join("; ", errors(w)));
                continue;
            }
            JsonNode last = w.path("lastRun");
            String lastRun = last.isObject()
                    ? "#" + last.path("number").asText() + " "
                            + last.path("status").asText()
                    : "-";
            out.printf(format, w.path("id").asText(), lastRun, w.path("title").asText());
        }
        out.flush();
        return ExitCode.OK.code;
    }

    private static java.util.List<String> errors(JsonNode broken) {
        java.util.List<String> result = new java.util.ArrayList<>();
        JsonNode errors = broken.path("errors");
        if (errors.isObject()) {
            errors.fields()
                    .forEachRemaining(
                            e -> result.add(e.getKey() + ": " + e.getValue().asText()));
        } else {
            errors.forEach(e -> result.add(e.asText()));
        }
        return result;
    }
}
