package org.fedoraproject.releng.workflow.cli;

import picocli.CommandLine.Command;

@Command(
        name = "deny",
        mixinStandardHelpOptions = true,
        description = "Denies a run waiting for approval; it ends rejected and never runs.")
final class DenyCommand extends ApprovalDecisionCommand {

    @Override
    String decision() {
        return "deny";
    }
}
