package org.fedoraproject.releng.workflow.ansible;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What to run: building the {@code ansible-playbook} argument list is kept apart from launching it
 * so that the list can be checked exactly. Values never appear on the command line: they travel
 * in the extra-vars file, which only the engine's user can read.
 */
public record PlaybookInvocation(String executable, Path playbook, Optional<Path> inventory, Path extraVarsFile) {

    public List<String> commandLine() {
        List<String> argv = new ArrayList<>();
        argv.add(executable);
        if (inventory.isPresent()) {
            argv.add("--inventory");
            argv.add(inventory.get().toString());
        } else {
            // no inventory: the one host is this machine, reached without ssh
            argv.add("--inventory");
            argv.add("localhost,");
            argv.add("--connection");
            argv.add("local");
        }
        argv.add("--extra-vars");
        argv.add("@" + extraVarsFile);
        argv.add(playbook.toString());
        return List.copyOf(argv);
    }
}
