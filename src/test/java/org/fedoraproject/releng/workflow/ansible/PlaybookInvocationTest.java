package org.fedoraproject.releng.workflow.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlaybookInvocationTest {

    @Test
    void withoutInventoryRunsOnLocalhostWithoutSsh() {
        PlaybookInvocation i = new PlaybookInvocation(
                "ansible-playbook",
                Path.of("/c/playbooks/compose.yml"),
                Optional.empty(),
                Path.of("/d/runs/5/extra-vars.json"));

        assertThat(i.commandLine())
                .containsExactly(
                        "ansible-playbook",
                        "--inventory",
                        "localhost,",
                        "--connection",
                        "local",
                        "--extra-vars",
                        "@/d/runs/5/extra-vars.json",
                        "/c/playbooks/compose.yml");
    }

    @Test
    void withInventoryUsesItAndItsConnections() {
        PlaybookInvocation i = new PlaybookInvocation(
                "/usr/bin/ansible-playbook",
                Path.of("/c/playbooks/compose.yml"),
                Optional.of(Path.of("/c/inventory/releng")),
                Path.of("/d/x.json"));

        assertThat(i.commandLine())
                .containsExactly(
                        "/usr/bin/ansible-playbook",
                        "--inventory",
                        "/c/inventory/releng",
                        "--extra-vars",
                        "@/d/x.json",
                        "/c/playbooks/compose.yml");
    }
}
