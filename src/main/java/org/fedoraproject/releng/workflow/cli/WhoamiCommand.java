package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "whoami",
        mixinStandardHelpOptions = true,
        description = "Shows who the engine thinks you are, your groups and your permissions.")
final class WhoamiCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print the engine's JSON answer")
    boolean asJson;

    @Override
    public Integer call() {
        EngineClient client = root.client();
        JsonNode me = client.get("/api/whoami");
        PrintWriter out = spec.commandLine().getOut();
        if (asJson) {
            root.printJson(out, me);
            return ExitCode.OK.code;
        }
        String user = me.hasNonNull("user") ? me.get("user").asText() : "anonymous";
        out.println("user:        " + user
                + (me.hasNonNull("kind") ? " (" + me.get("kind").asText() + ")" : ""));
        out.println("engine:      " + client.server());
        List<String> groups = new ArrayList<>();
        me.path("groups").forEach(g -> groups.add(g.asText()));
        out.println("groups:      " + (groups.isEmpty() ? "-" : String.join(", ", groups)));
        out.println("permissions:");
        for (JsonNode p : me.path("permissions")) {
            String scope =
                    p.hasNonNull("workflow") ? "workflow " + p.get("workflow").asText() : "all workflows";
            out.println("  " + p.path("permission").asText() + " on " + scope + " (granted by "
                    + p.path("grantedBy").asText() + ")");
        }
        out.flush();
        return ExitCode.OK.code;
    }
}
