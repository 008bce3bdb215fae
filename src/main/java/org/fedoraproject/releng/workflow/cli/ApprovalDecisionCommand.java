package org.fedoraproject.releng.workflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What {@code approve} and {@code deny} take alike; they differ only in the decision they send. */
abstract class ApprovalDecisionCommand implements Callable<Integer> {

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

    /** {@code approve} or {@code deny}: the API's verb. */
    abstract String decision();

    @Override
    public Integer call() {
        return ApprovalDecision.decide(root, spec.commandLine().getOut(), run, decision(), comment, step);
    }
}
