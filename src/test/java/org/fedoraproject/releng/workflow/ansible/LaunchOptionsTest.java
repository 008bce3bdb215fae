package org.fedoraproject.releng.workflow.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    static final Path PLAYBOOK = Path.of("/c/playbooks/compose.yml");
    static final Path VARS = Path.of("/d/runs/5/extra-vars.yml");

    static List<String> argv(LaunchOptions options, List<PlaybookInvocation.VaultId> vault) {
        return new PlaybookInvocation("ansible-playbook", PLAYBOOK, Optional.empty(), VARS, options, vault)
                .commandLine();
    }

    @Test
    void noOptionsAddNothing() {
        assertThat(argv(LaunchOptions.NONE, List.of()))
                .containsExactly(
                        "ansible-playbook",
                        "--inventory",
                        "localhost,",
                        "--connection",
                        "local",
                        "--extra-vars",
                        "@/d/runs/5/extra-vars.yml",
                        "/c/playbooks/compose.yml");
    }

    @Test
    void everyOptionAtOnceInItsFixedPlaceEachValueItsOwnArgument() {
        LaunchOptions all = new LaunchOptions(
                true, true, "compose-x86-*:!compose-x86-09", List.of("sync", "compose"), List.of("announce"), 3);
        List<PlaybookInvocation.VaultId> vault = List.of(
                new PlaybookInvocation.VaultId("releng", Path.of("/d/runs/5/vault/releng")),
                new PlaybookInvocation.VaultId("signing", Path.of("/d/runs/5/vault/signing")));

        assertThat(argv(all, vault))
                .containsExactly(
                        "ansible-playbook",
                        "--inventory",
                        "localhost,",
                        "--connection",
                        "local",
                        "--extra-vars",
                        "@/d/runs/5/extra-vars.yml",
                        "--vault-id",
                        "releng@/d/runs/5/vault/releng",
                        "--vault-id",
                        "signing@/d/runs/5/vault/signing",
                        "--check",
                        "--diff",
                        "--limit",
                        "compose-x86-*:!compose-x86-09",
                        "--tags",
                        "sync,compose",
                        "--skip-tags",
                        "announce",
                        "-vvv",
                        "/c/playbooks/compose.yml");
    }

    /** All 2^5 combinations of the five options, with verbosity 0, 1 and 6: each adds exactly its own arguments. */
    @Test
    void eachCombinationAddsExactlyItsArgumentsInOrder() {
        for (int mask = 0; mask < 32; mask++) {
            for (int verbosity : new int[] {0, 1, 6}) {
                boolean check = (mask & 1) != 0;
                boolean diff = (mask & 2) != 0;
                String limit = (mask & 4) != 0 ? "web0[1:3]" : null;
                List<String> tags = (mask & 8) != 0 ? List.of("a", "b") : List.of();
                List<String> skip = (mask & 16) != 0 ? List.of("c") : List.of();
                List<String> expected = new ArrayList<>(List.of(
                        "ansible-playbook",
                        "--inventory",
                        "localhost,",
                        "--connection",
                        "local",
                        "--extra-vars",
                        "@/d/runs/5/extra-vars.yml"));
                if (check) {
                    expected.add("--check");
                }
                if (diff) {
                    expected.add("--diff");
                }
                if (limit != null) {
                    expected.addAll(List.of("--limit", "web0[1:3]"));
                }
                if (!tags.isEmpty()) {
                    expected.addAll(List.of("--tags", "a,b"));
                }
                if (!skip.isEmpty()) {
                    expected.addAll(List.of("--skip-tags", "c"));
                }
                if (verbosity > 0) {
                    expected.add("-" + "v".repeat(verbosity));
                }
                expected.add("/c/playbooks/compose.yml");

                assertThat(argv(new LaunchOptions(check, diff, limit, tags, skip, verbosity), List.of()))
                        .as("mask %s verbosity %s", mask, verbosity)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void jsonRoundTripsAndNamesEveryKey() {
        LaunchOptions o = new LaunchOptions(true, false, "a,b", List.of("sync"), List.of(), 2);

        assertThat(o.toJson().toString())
                .isEqualTo("{\"check\":true,\"diff\":false,\"limit\":\"a,b\",\"tags\":[\"sync\"],\"skipTags\":[],"
                        + "\"verbosity\":2}");
        assertThat(LaunchOptions.fromJson(o.toJson())).isEqualTo(o);
        assertThat(LaunchOptions.fromJson(null)).isEqualTo(LaunchOptions.NONE);
        assertThat(LaunchOptions.NONE.toJson().toString())
                .isEqualTo(
                        "{\"check\":false,\"diff\":false,\"limit\":null,\"tags\":[],\"skipTags\":[],\"verbosity\":0}");
        assertThat(o.isDryRun()).isTrue();
    }
}
