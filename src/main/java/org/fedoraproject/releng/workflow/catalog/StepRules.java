package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The checks of a chain's {@code steps} that need only its own file: each step well formed, every
 * {@code after} naming a step of the chain, no cycle, references well formed. What needs the rest
 * of the catalog (the step workflows, their parameters and outputs) is {@link ChainChecks}.
 */
final class StepRules {

    private static final String ID = "[a-z0-9][a-z0-9-]*";
    private static final com.fasterxml.jackson.databind.ObjectMapper SPECS =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final BiConsumer<String, String> error;
    /** Reads a step's {@code approval} as a workflow's is read, reporting under the given key. */
    private final java.util.function.BiFunction<String, DefinitionSpec.ApprovalSpec, Optional<ApprovalRule>>
            approvalRule;

    StepRules(
            BiConsumer<String, String> error,
            java.util.function.BiFunction<String, DefinitionSpec.ApprovalSpec, Optional<ApprovalRule>> approvalRule) {
        this.error = error;
        this.approvalRule = approvalRule;
    }

    ChainDefinition chain(List<DefinitionSpec.StepSpec> specs) {
        if (specs.isEmpty()) {
            error.accept("steps", "a chain needs at least one step");
            return null;
        }
        List<ChainDefinition.Step> steps = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            DefinitionSpec.StepSpec s = specs.get(i);
            String key = "steps[" + i + "]";
            if (s == null) {
                error.accept(key, "must be a mapping such as {id: compose, workflow: compose-nightly}");
                continue;
            }
            ChainDefinition.Step step = step(key, s);
            if (step == null) {
                continue;
            }
            if (!ids.add(step.id())) {
                error.accept(key + ".id", "step `" + step.id() + "` is defined twice");
                continue;
            }
            steps.add(step);
        }
        for (ChainDefinition.Step step : steps) {
            for (String before : step.after()) {
                if (!ids.contains(before)) {
                    error.accept(
                            "steps",
                            "step `" + step.id() + "`: `after` names an unknown step `" + CatalogLoader.shown(before)
                                    + "` (steps: " + String.join(", ", ids) + ")");
                }
            }
        }
        cycle(steps).ifPresent(cycle -> error.accept("steps", "the steps form a cycle: " + String.join(" -> ", cycle)));
        return steps.size() == specs.size() ? new ChainDefinition(steps) : null;
    }

    private ChainDefinition.Step step(String key, DefinitionSpec.StepSpec s) {
        if (s.id() == null || !s.id().matches(ID)) {
            error.accept(
                    key + ".id",
                    s.id() == null
                            ? "required"
                            : "`" + CatalogLoader.shown(s.id()) + "` must be lower-case letters, digits and '-'");
            return null;
        }
        String name = "step `" + s.id() + "`: ";
        boolean ok = true;
        boolean gate =
                s.workflow() == null && s.approval() != null && !s.approval().isNull();
        if (gate
                && ((s.parameters() != null && !s.parameters().isEmpty())
                        || (s.locks() != null && !s.locks().isEmpty()))) {
            error.accept(
                    key,
                    name + "an approval gate (a step with `approval` and no `workflow`) runs nothing, so it has"
                            + " no `parameters` or `locks`");
            ok = false;
        }
        if (!gate && (s.workflow() == null || !s.workflow().matches(ID))) {
            error.accept(
                    key + ".workflow",
                    name
                            + (s.workflow() == null
                                    ? "required (or an `approval` without a workflow, for an approval gate)"
                                    : "`" + CatalogLoader.shown(s.workflow()) + "` is not a workflow id"));
            ok = false;
        }
        ChainDefinition.When when = ChainDefinition.When.SUCCESS;
        if (s.when() != null) {
            switch (s.when()) {
                case "success" -> when = ChainDefinition.When.SUCCESS;
                case "failure" -> when = ChainDefinition.When.FAILURE;
                case "always" -> when = ChainDefinition.When.ALWAYS;
                default -> {
                    error.accept(
                            key + ".when",
                            name + "`" + CatalogLoader.shown(s.when()) + "` must be success, failure or always");
                    ok = false;
                }
            }
        }
        List<String> after = s.after() == null ? List.of() : s.after();
        if (after.stream().anyMatch(a -> a == null)) {
            error.accept(key + ".after", name + "`after` has an empty entry");
            ok = false;
        }
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        if (s.parameters() != null) {
            for (Map.Entry<String, JsonNode> p : s.parameters().entrySet()) {
                try {
                    StepValues.references(p.getValue());
                    parameters.put(p.getKey(), p.getValue());
                } catch (IllegalArgumentException e) {
                    error.accept(key + ".parameters." + p.getKey(), name + e.getMessage());
                    ok = false;
                }
            }
        }
        List<String> locks = s.locks() == null ? List.of() : s.locks();
        if (locks.stream().anyMatch(l -> l == null || !l.matches(ID))) {
            error.accept(key + ".locks", name + "a lock name is lower-case letters, digits and '-'");
            ok = false;
        }
        Optional<ApprovalRule> approval = Optional.empty();
        if (s.approval() != null && !s.approval().isNull()) {
            try {
                if (!s.approval().isObject()) {
                    throw new IllegalArgumentException("not a mapping");
                }
                approval = approvalRule.apply(
                        key + ".approval", SPECS.treeToValue(s.approval(), DefinitionSpec.ApprovalSpec.class));
            } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
                error.accept(
                        key + ".approval",
                        name + "must be a mapping such as {count: 1, timeout: 24h, unless: [schedule]}");
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        return new ChainDefinition.Step(
                s.id(), s.workflow(), after.stream().distinct().toList(), when, parameters, locks, approval);
    }

    /** The first cycle found, as the steps on it with the first repeated at the end. */
    static Optional<List<String>> cycle(List<ChainDefinition.Step> steps) {
        Map<String, List<String>> after = new HashMap<>();
        steps.forEach(s -> after.put(s.id(), s.after()));
        Map<String, Integer> state = new HashMap<>();
        for (ChainDefinition.Step s : steps) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> found = visit(s.id(), after, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Depth-first: 1 = on the current path, 2 = done. */
    private static Optional<List<String>> visit(
            String id, Map<String, List<String>> after, Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(id);
        if (seen != null && seen == 2) {
            return Optional.empty();
        }
        if (seen != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            // written in the order the steps run: each comes after the one before it
            java.util.Collections.reverse(cycle);
            return Optional.of(cycle);
        }
        state.put(id, 1);
        path.add(id);
        for (String before : after.getOrDefault(id, List.of())) {
            if (after.containsKey(before)) {
                Optional<List<String>> found = visit(before, after, state, path);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
        return Optional.empty();
    }
}
