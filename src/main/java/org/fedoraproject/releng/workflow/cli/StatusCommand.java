package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows one run: status, cause, parameters and times.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "RUN",
            description = "the run: its id (`releng run` prints it), workflow#number, or its URL")
    String run;

    @Option(names = "--json", description = "print the engine's JSON answer")
    boolean asJson;

    @Override
    public Integer call() {
        EngineClient client = root.client();
        JsonNode r = client.get("/api/runs/" + RunReference.parse(run).resolve(client));
        PrintWriter out = spec.commandLine().getOut();
        if (asJson) {
            root.printJson(out, r);
            return ExitCode.OK.code;
        }
        out.println(RelengCli.describe(r));
        field(
                out,
                "status",
                r.path("status").asText()
                        + (r.hasNonNull("exitCode")
                                ? " (exit code " + r.get("exitCode").asText() + ")"
                                : ""));
        JsonNode cause = r.path("cause");
        field(
                out,
                "cause",
                cause.path("type").asText()
                        + (cause.hasNonNull("user") ? " by " + cause.get("user").asText() : "")
                        + (cause.hasNonNull("detail")
                                ? " (" + cause.get("detail").asText() + ")"
                                : ""));
        if (cause.hasNonNull("reason")) {
            field(out, "reason", cause.get("reason").asText());
        }
        if (!r.path("parameters").isEmpty()) {
            out.println("parameters:");
        }
        r.path("parameters")
                .fields()
                .forEachRemaining(p -> field(
                        out,
                        "  " + p.getKey(),
                        p.getValue().isTextual()
                                ? p.getValue().asText()
                                : p.getValue().toString()));
        for (String time : new String[] {"queuedAt", "startedAt", "finishedAt"}) {
            if (r.hasNonNull(time)) {
                field(out, time, r.get(time).asText());
            }
        }
        field(out, "url", r.path("url").asText());
        field(out, "log", r.path("logUrl").asText());
        out.flush();
        return ExitCode.OK.code;
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-12s %s%n", name + ":", value);
    }
}
