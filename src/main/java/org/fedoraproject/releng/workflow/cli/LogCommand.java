package org.fedoraproject.releng.workflow.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "log", mixinStandardHelpOptions = true, description = "Prints a run's console log.")
final class LogCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "the run: its id, workflow#number, or its URL")
    String run;

    @Option(
            names = {"-f", "--follow"},
            description = "keep printing until the run ends; exit with its result")
    boolean follow;

    @Override
    public Integer call() {
        EngineClient client = root.client();
        PrintWriter out = spec.commandLine().getOut();
        long id = RunReference.parse(run).resolve(client);
        if (follow) {
            return RunEnd.report(
                    RunCommand.followToEnd(client, id, out), spec.commandLine().getErr());
        }
        EngineClient.LogChunk all = client.log(id, 0);
        out.print(new String(all.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
        return ExitCode.OK.code;
    }
}
