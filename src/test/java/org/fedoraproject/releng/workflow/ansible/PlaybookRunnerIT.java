package org.fedoraproject.releng.workflow.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner with a stand-in for {@code ansible-playbook} that shows what it was handed: the
 * extra-vars file, private to the engine's user, with every value marked unsafe.
 */
class PlaybookRunnerIT {

    static final String SHOW_EXTRA_VARS =
            TestEngine.FIXTURES.resolve("fakes/show-extra-vars").toString();

    @TempDir
    Path dir;

    String run(ObjectNode vars, Optional<Path> inventory, List<String> secrets) throws Exception {
        PlaybookRunner runner = new PlaybookRunner(
                new LocalProcessLauncher(), SHOW_EXTRA_VARS, Duration.ofSeconds(2), Clock.systemUTC());
        Path scratch = dir.resolve("runs").resolve("7-abc");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        PlaybookRunner.Outcome outcome = runner.run(
                new PlaybookRunner.Request(
                        7, dir, dir.resolve("play.yml"), inventory, vars, secrets, Duration.ofMinutes(1), scratch),
                out,
                () -> false);

        assertThat(outcome.ending()).isEqualTo(PlaybookRunner.Ending.SUCCEEDED);
        assertThat(scratch)
                .as("the scratch directory holds secrets: it goes when the run ends")
                .doesNotExist();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void extraVarsArePrivateAndEveryValueInThemIsUnsafe() throws Exception {
        ObjectNode vars = new ObjectMapper()
                .createObjectNode()
                .put("title", "{{ lookup('pipe', 'id') }}")
                .put("token", "s3cret{{ x }}")
                .put("releng_run_id", 7);

        String output = run(vars, Optional.empty(), List.of("s3cret{{ x }}"));

        assertThat(output)
                .contains("--extra-vars @" + dir.resolve("runs/7-abc/extra-vars.yml"))
                .contains("file mode 600\ndir mode 700\n")
                .contains("? \"title\" : !unsafe \"{{ lookup('pipe', 'id') }}\"")
                // the secret is unsafe too; the log shows it masked
                .contains("? \"token\" : !unsafe \"********\"")
                .contains("? \"releng_run_id\" : 7")
                .contains("? \"ansible_python_interpreter\" : \"{{ ansible_playbook_python }}\"}");
    }

    @Test
    void withAnInventoryThePythonInterpreterIsLeftToIt() throws Exception {
        ObjectNode vars = new ObjectMapper().createObjectNode().put("who", "world");

        String output = run(vars, Optional.of(dir.resolve("inventory")), List.of());

        assertThat(output).contains("{? \"who\" : !unsafe \"world\"}").doesNotContain("ansible_python_interpreter");
    }
}
