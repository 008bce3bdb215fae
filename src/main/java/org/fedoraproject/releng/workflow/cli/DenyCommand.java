package org.fedoraproject.releng.workflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "deny",
        mixinStandardHelpOptions = true,
        description = "Denies a run waiting for approval; it ends rejected and never runs.")
final class DenyCommand implements Callable<Integer> {

    @ParentCommand
    RelengCli root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "the run: its id, workflow#number, or its URL")
    String run;

    @Option(names = "--comment", paramLabel = "TEXT", description = "why (one line; kept in the run's history)")
    String comment;

    @Option(
            names = "--step",
            paramLabel = "STEP",
            description = "the gate of a chain run to decide, when the chain waits at several")
    String step;

    @Override
    public Integer call() {
        return ApprovalDecision.decide(root, spec.commandLine().getOut(), run, "deny", comment, step);
    }
}
