package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.testsupport.ReleaseFakes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Guards the shape of the catalog in {@code workflows/}: definitions, playbooks and includes. */
class ShippedCatalogIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path WORKFLOWS = ReleaseFakes.projectDir().resolve("workflows");
    private static final Set<String> PARAMETER_TYPES =
            Set.of("string", "text", "integer", "boolean", "choice", "multichoice", "secret");
    /** Read-only or QA-facing workflows; everything else is releng's alone. */
    private static final Set<String> QA_RUNNABLE = Set.of("compose-status", "signing-queue-status", "test-day-prep");

    @Test
    void catalogShipsTheReleaseEngineeringWorkflows() throws IOException {
        assertThat(definitions().stream().map(d -> d.path("id").asText()))
                .contains(
                        "compose-nightly",
                        "compose-status",
                        "push-updates",
                        "branch-release",
                        "tag-builds",
                        "create-bodhi-release",
                        "signing-queue-status",
                        "test-day-prep",
                        "bodhi-activation",
                        "end-of-life",
                        "block-retired",
                        "sidetag-cleanup",
                        "stage-compose",
                        "announce-qa");
    }

    /** A scheduled run has only the defaults: a required parameter without one would stop it. */
    @Test
    void scheduledWorkflowsNeedNoParameterTheScheduleCannotGive() throws IOException {
        List<String> scheduled = new ArrayList<>();
        for (JsonNode definition : definitions()) {
            if (!definition.has("schedule")) {
                continue;
            }
            scheduled.add(definition.path("id").asText());
            for (JsonNode parameter : definition.path("parameters")) {
                assertThat(parameter.has("default")
                                || !parameter.path("required").asBoolean(true))
                        .as(
                                "%s.%s has a default or is optional",
                                definition.path("id").asText(), parameter.path("name"))
                        .isTrue();
            }
        }
        assertThat(scheduled).contains("compose-nightly", "block-retired", "sidetag-cleanup");
    }

    @Test
    void everyDefinitionPointsIntoPlaybooksAndMatchesItsFileName() throws IOException {
        for (Path file : definitionFiles()) {
            JsonNode definition = YAML.readTree(file.toFile());
            String playbook = definition.path("playbook").asText();
            Path resolved = WORKFLOWS.resolve(playbook).normalize();
            assertThat(definition.path("id").asText())
                    .as("id in %s", file)
                    .isEqualTo(file.getFileName().toString().replaceFirst("\\.yaml$", ""));
            assertThat(playbook).as("playbook of %s", file).startsWith("playbooks/");
            assertThat(resolved)
                    .as("playbook of %s", file)
                    .startsWith(WORKFLOWS.resolve("playbooks"))
                    .isRegularFile();
        }
    }

    @Test
    void noIncludeIsUsedAsAWorkflowPlaybook() throws IOException {
        Set<Path> playbooks = definitions().stream()
                .map(d -> WORKFLOWS.resolve(d.path("playbook").asText()).normalize())
                .collect(Collectors.toSet());
        assertThat(includeFiles()).isNotEmpty().doesNotContainAnyElementsOf(playbooks);
    }

    @Test
    void includesAreTaskListsNotPlays() throws IOException {
        List<Path> includes = includeFiles();
        assertThat(includes).as("include files found").isNotEmpty();
        for (Path include : includes) {
            JsonNode tasks = YAML.readTree(include.toFile());
            assertThat(tasks.isArray()).as("%s is a list of tasks", include).isTrue();
            assertThat(tasks.findValues("hosts"))
                    .as("%s declares no play", include)
                    .isEmpty();
        }
    }

    /** Glue playbooks only wire variables; logic lives in roles and includes where it is shared. */
    @Test
    void workflowPlaybooksOnlyWireVariablesIntoRolesAndIncludes() throws IOException {
        Set<String> wiring = Set.of(
                "ansible.builtin.import_tasks",
                "ansible.builtin.include_tasks",
                "ansible.builtin.include_role",
                "ansible.builtin.import_role",
                "import_tasks",
                "include_tasks",
                "include_role",
                "import_role");
        for (JsonNode definition : definitions()) {
            Path playbook = WORKFLOWS.resolve(definition.path("playbook").asText());
            if (definition.path("id").asText().equals("hello")) {
                continue; // the engine's demo playbook is deliberately self-contained
            }
            for (JsonNode play : YAML.readTree(playbook.toFile())) {
                for (JsonNode task : play.path("tasks")) {
                    List<String> keys = new ArrayList<>();
                    task.fieldNames().forEachRemaining(keys::add);
                    assertThat(keys).as("task %s in %s", task, playbook).containsAnyElementsOf(wiring);
                }
            }
        }
    }

    @Test
    void parametersUseKnownTypesAndCredentialsAreSecrets() throws IOException {
        for (JsonNode definition : definitions()) {
            for (JsonNode parameter : definition.path("parameters")) {
                String name = parameter.path("name").asText();
                String where = definition.path("id").asText() + "." + name;
                assertThat(parameter.path("type").asText()).as(where).isIn(PARAMETER_TYPES);
                if (name.endsWith("_password") || name.endsWith("_token")) {
                    assertThat(parameter.path("type").asText()).as(where).isEqualTo("secret");
                }
            }
        }
    }

    @Test
    void relengRunsEveryWorkflowAndQaOnlyTheQaFacingOnes() throws IOException {
        for (JsonNode definition : definitions()) {
            String id = definition.path("id").asText();
            if (id.equals("hello")) {
                continue; // the engine's demo workflow, not part of the releng catalog
            }
            assertThat(groupsAllowedTo(definition, "run")).as(id).contains("releng");
            assertThat(groupsAllowedTo(definition, "run").contains("qa"))
                    .as("qa may run %s", id)
                    .isEqualTo(QA_RUNNABLE.contains(id));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyWorkflowPlaybookPassesAnsibleSyntaxCheck() throws IOException {
        return definitions().stream()
                .map(d -> d.path("playbook").asText())
                .distinct()
                .map(playbook -> DynamicTest.dynamicTest(playbook, () -> {
                    Process check = new ProcessBuilder(
                                    "/usr/bin/ansible-playbook", "--syntax-check", "-i", "localhost,", playbook)
                            .directory(WORKFLOWS.toFile())
                            .redirectErrorStream(true)
                            .start();
                    check.getOutputStream().close();
                    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(check.waitFor(2, TimeUnit.MINUTES))
                            .as("syntax check of %s ended", playbook)
                            .isTrue();
                    assertThat(check.exitValue())
                            .as("ansible-playbook --syntax-check %s:%n%s", playbook, output)
                            .isZero();
                }));
    }

    private static Set<String> groupsAllowedTo(JsonNode definition, String permission) {
        Set<String> groups = new HashSet<>();
        for (JsonNode entry : definition.path("permissions")) {
            for (JsonNode allowed : entry.path("allow")) {
                if (allowed.asText().equals(permission)) {
                    groups.add(entry.path("group").asText());
                }
            }
        }
        return groups;
    }

    private static List<Path> includeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(WORKFLOWS.resolve("includes"))) {
            return files.filter(Files::isRegularFile)
                    .map(Path::normalize)
                    .sorted()
                    .toList();
        }
    }

    private static List<Path> definitionFiles() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }

    private static List<JsonNode> definitions() throws IOException {
        List<JsonNode> definitions = new ArrayList<>();
        for (Path file : definitionFiles()) {
            definitions.add(YAML.readTree(file.toFile()));
        }
        assertThat(definitions).as("workflow definitions in %s", WORKFLOWS).isNotEmpty();
        return definitions;
    }
}
