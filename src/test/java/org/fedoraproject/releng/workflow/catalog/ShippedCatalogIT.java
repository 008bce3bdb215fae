package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Set<String> QA_RUNNABLE =
            Set.of("compose-status", "signing-queue-status", "test-day-prep", "beta-candidate");

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
                        "announce-qa",
                        "beta-candidate");
    }

    /** Each step of a shipped chain runs a shipped workflow, and whatever it references comes first. */
    @Test
    void chainStepsRunShippedWorkflowsAndReferenceOnlyEarlierSteps() throws IOException {
        Set<String> ids = definitions().stream().map(d -> d.path("id").asText()).collect(Collectors.toSet());
        List<JsonNode> chains = chains();
        assertThat(chains).extracting(c -> c.path("id").asText()).contains("beta-candidate");
        for (JsonNode chain : chains) {
            assertThat(chain.has("playbook"))
                    .as("%s has steps, not a playbook", chain.path("id"))
                    .isFalse();
            Set<String> before = new HashSet<>();
            for (JsonNode step : chain.path("steps")) {
                String where =
                        chain.path("id").asText() + " step " + step.path("id").asText();
                assertThat(ids).as(where).contains(step.path("workflow").asText());
                for (JsonNode after : step.path("after")) {
                    assertThat(before)
                            .as("%s comes after an earlier step", where)
                            .contains(after.asText());
                }
                Matcher ref = Pattern.compile("\\$\\{steps\\.([a-z0-9-]+)\\.")
                        .matcher(step.path("parameters").toString());
                while (ref.find()) {
                    assertThat(before)
                            .as("%s references an earlier step", where)
                            .contains(ref.group(1));
                }
                before.add(step.path("id").asText());
            }
        }
    }

    /** The engine's own checks (references, declared outputs, step parameters) pass on every chain. */
    @Test
    void theEngineLoadsEveryShippedChainAsAValidChain() throws IOException {
        Catalog catalog = new CatalogLoader(WORKFLOWS, Clock.systemUTC()).load();

        assertThat(catalog.broken()).isEmpty();
        for (JsonNode chain : chains()) {
            WorkflowDefinition loaded = catalog.find(chain.path("id").asText()).orElseThrow();
            assertThat(loaded.isChain()).as(loaded.id()).isTrue();
        }
        ChainDefinition beta =
                catalog.find("beta-candidate").orElseThrow().chain().orElseThrow();
        assertThat(beta.step("tell-qa-failure").orElseThrow().when()).isEqualTo(ChainDefinition.When.FAILURE);
    }

    /** One lock, as lock-wrapper does today: composes, staging and pushes never overlap. */
    @Test
    void composesStagingAndPushesShareTheComposeLock() throws IOException {
        List<String> holders = new ArrayList<>();
        for (JsonNode definition : definitions()) {
            for (JsonNode lock : definition.path("locks")) {
                assertThat(lock.asText()).as(definition.path("id").asText()).isEqualTo("compose");
                holders.add(definition.path("id").asText());
            }
        }
        assertThat(holders).containsExactlyInAnyOrder("compose-nightly", "stage-compose", "push-updates");
    }

    /** Changes that cannot be undone, and production composes, wait for a second person. */
    @Test
    void irreversibleWorkflowsWaitForReleng() throws IOException {
        List<String> approved = new ArrayList<>();
        for (JsonNode definition : definitions()) {
            if (definition.has("approval")) {
                approved.add(definition.path("id").asText());
                assertThat(definition.path("approval").has("unless"))
                        .as("%s: even releng's own runs are checked", definition.path("id"))
                        .isFalse();
                assertThat(groupsAllowedTo(definition, "approve"))
                        .as(definition.path("id").asText())
                        .containsExactly("releng");
            }
        }
        for (JsonNode chain : chains()) {
            assertThat(chain.has("approval")).as(chain.path("id").asText()).isTrue();
        }
        assertThat(approved).containsExactlyInAnyOrder("bodhi-activation", "end-of-life", "beta-candidate");
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
            if (definition.has("steps")) {
                assertThat(definition.path("id").asText())
                        .as("id in %s", file)
                        .isEqualTo(file.getFileName().toString().replaceFirst("\\.yaml$", ""));
                continue; // a chain runs other workflows, no playbook of its own
            }
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
        Set<Path> playbooks = playbookDefinitions().stream()
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
        for (JsonNode definition : playbookDefinitions()) {
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
        return playbookDefinitions().stream()
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

    private static List<JsonNode> chains() throws IOException {
        return definitions().stream().filter(d -> d.has("steps")).toList();
    }

    private static List<JsonNode> playbookDefinitions() throws IOException {
        return definitions().stream().filter(d -> !d.has("steps")).toList();
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
