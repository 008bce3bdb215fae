package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
        description = "Shows one run: status, cause, parameters, times, the recap and the outputs.")
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
        String options = optionsOf(r.path("options"));
        if (!options.isEmpty()) {
            field(out, "options", options);
        }
        for (String time : new String[] {"queuedAt", "startedAt", "finishedAt"}) {
            if (r.hasNonNull(time)) {
                field(out, time, r.get(time).asText());
            }
        }
        if (r.path("dryRun").asBoolean(false)) {
            field(out, "dry run", "yes (check mode: nothing was changed)");
        }
        if (r.hasNonNull("verdict")) {
            field(out, "hosts", r.get("verdict").asText());
        }
        if (r.path("outputs").isObject() && !r.path("outputs").isEmpty()) {
            out.println("outputs:");
            r.get("outputs")
                    .fields()
                    .forEachRemaining(o -> field(
                            out,
                            "  " + o.getKey(),
                            o.getValue().isTextual()
                                    ? o.getValue().asText()
                                    : o.getValue().toString()));
        }
        if (r.at("/events/problem").isTextual()) {
            field(out, "events", "incomplete: " + r.at("/events/problem").asText());
        }
        field(out, "url", r.path("url").asText());
        field(out, "log", r.path("logUrl").asText());
        out.flush();
        return ExitCode.OK.code;
    }

    /** As {@code ansible-playbook} arguments, with a check-mode run called what it is. */
    static String optionsOf(JsonNode o) {
        List<String> parts = new ArrayList<>();
        if (o.path("check").asBoolean(false)) {
            parts.add("--check (dry run)");
        }
        if (o.path("diff").asBoolean(false)) {
            parts.add("--diff");
        }
        if (o.hasNonNull("limit")) {
            parts.add("--limit " + o.get("limit").asText());
        }
        for (String[] kind : new String[][] {{"tags", "--tags"}, {"skipTags", "--skip-tags"}}) {
            List<String> tags = new ArrayList<>();
            o.path(kind[0]).forEach(t -> tags.add(t.asText()));
            if (!tags.isEmpty()) {
                parts.add(kind[1] + " " + String.join(",", tags));
            }
        }
        int verbosity = o.path("verbosity").asInt(0);
        if (verbosity > 0) {
            parts.add("-" + "v".repeat(verbosity));
        }
        return String.join(" ", parts);
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-12s %s%n", name + ":", value);
    }
}
