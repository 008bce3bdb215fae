package org.fedoraproject.releng.workflow.ansible;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What to run: building the {@code ansible-playbook} argument list is kept apart from launching it
 * so that the list can be checked exactly. Values never appear on the command line: they travel
 * in the extra-vars file, which only the engine's user can read. Vault passwords travel the same
 * way, as the path of a private copy of the password file ({@code --vault-id id@path}); launch
 * options are each one argument, already checked against what the workflow allows.
 */
public record PlaybookInvocation(
        String executable,
        Path playbook,
        Optional<Path> inventory,
        Path extraVarsFile,
        LaunchOptions options,
        List<VaultId> vaultIds) {

    /** A vault id and the private file its password is read from. */
    public record VaultId(String id, Path passwordFile) {}

    public PlaybookInvocation {
        vaultIds = List.copyOf(vaultIds);
    }

    public PlaybookInvocation(String executable, Path playbook, Optional<Path> inventory, Path extraVarsFile) {
        this(executable, playbook, inventory, extraVarsFile, LaunchOptions.NONE, List.of());
    }

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
        for (VaultId vault : vaultIds) {
            argv.add("--vault-id");
            argv.add(vault.id() + "@" + vault.passwordFile());
        }
        argv.addAll(options.arguments());
        argv.add(playbook.toString());
        return List.copyOf(argv);
    }
}
