package org.fedoraproject.releng.workflow.cli;

import picocli.CommandLine.Command;

@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = "Approves a run waiting for approval; it starts once enough people have approved it.")
final class ApproveCommand extends ApprovalDecisionCommand {

    @Override
    String decision() {
        return "approve";
    }
}
