package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a queued or running run.")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "the run: its id, workflow#number, or its URL")
    String run;

    @Override
    public Integer call() {
        EngineClient client = root.client();
        long id = RunReference.parse(run).resolve(client);
        EngineClient.Answer answer = client.post("/api/runs/" + id + "/cancel", null);
        JsonNode r = answer.body();
        PrintWriter out = spec.commandLine().getOut();
        // 200: it was still queued and is now cancelled; 202: its playbook is being stopped
        out.println(
                answer.status() == 202
                        ? "Cancel requested for " + RelengCli.describe(r) + "; it stops shortly: "
                                + r.path("url").asText()
                        : "Cancelled " + RelengCli.describe(r) + ": "
                                + r.path("url").asText());
        out.flush();
        return ExitCode.OK.code;
    }
}
