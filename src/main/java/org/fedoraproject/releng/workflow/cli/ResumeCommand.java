package org.fedoraproject.releng.workflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = "Starts a failed chain again from its failed steps, keeping the steps that succeeded;"
                + " secrets, never kept, are given again with -p.")
final class ResumeCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "the failed chain run: its id, chain#number, or its URL")
    String run;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "KEY=VALUE",
            description = "a secret parameter's value, as for `releng run`; the others stay as they were")
    List<String> secrets = new ArrayList<>();

    @Option(
            names = {"-f", "--follow"},
            description = "print the new chain run's console until it ends; exit with its result")
    boolean follow;

    @Option(
            names = {"-w", "--wait"},
            description = "wait until the new chain run ends without printing its console; exit with its result")
    boolean await;

    @Option(names = "--json", description = "print the new run as JSON")
    boolean asJson;

    @Override
    public Integer call() {
        EngineClient client = root.client();
        long id = RunReference.parse(run).resolve(client);
        ObjectNode body = root.json().createObjectNode();
        body.set("parameters", new RunParameters(root.json()).parse(secrets, Set::of));
        JsonNode started = client.post("/api/runs/" + id + "/resume", body).body();
        return RunCommand.report(root, spec, client, started, follow, await, asJson);
    }
}
