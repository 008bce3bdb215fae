package org.fedoraproject.releng.workflow.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The checks of chains that need the whole catalog: each step's workflow exists and is valid, takes
 * the parameters the step gives and publishes the outputs it is asked for, and chains nest without
 * containing themselves and no deeper than {@link ChainDefinition#MAX_DEPTH}. A chain found broken
 * breaks the chains that use it in turn, so the checks repeat until nothing changes.
 */
final class ChainChecks {

    private final Function<Path, String> rel;

    ChainChecks(Function<Path, String> rel) {
        this.rel = rel;
    }

    void apply(List<WorkflowDefinition> good, List<BrokenWorkflow> broken) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, WorkflowDefinition> byId = new HashMap<>();
            good.forEach(w -> byId.put(w.id(), w));
            Set<String> brokenIds = broken.stream().map(BrokenWorkflow::id).collect(Collectors.toSet());
            for (WorkflowDefinition chain : List.copyOf(good)) {
                if (chain.chain().isEmpty()) {
                    continue;
                }
                List<String> errors = check(chain, byId, brokenIds);
                if (!errors.isEmpty()) {
                    good.remove(chain);
                    String where = rel.apply(chain.file()) + ": ";
                    broken.add(new BrokenWorkflow(
                            chain.id(),
                            chain.file(),
                            errors.stream().map(e -> where + e).toList()));
                    changed = true;
                }
            }
        }
    }

    private List<String> check(WorkflowDefinition chain, Map<String, WorkflowDefinition> byId, Set<String> brokenIds) {
        List<String> errors = new ArrayList<>();
        ChainDefinition steps = chain.chain().orElseThrow();
        nesting(chain, byId).ifPresent(errors::add);
        for (ChainDefinition.Step step : steps.steps()) {
            String name = "step `" + step.id() + "`: ";
            if (step.isGate()) {
                continue;
            }
            WorkflowDefinition target = byId.get(step.workflow());
            if (target == null) {
                errors.add(name
                        + (brokenIds.contains(step.workflow())
                                ? "workflow `" + step.workflow() + "` is broken (see its own errors)"
                                : "unknown workflow `" + step.workflow() + "`"));
                continue;
            }
            for (var given : step.parameters().entrySet()) {
                Optional<ParameterDefinition> parameter = target.parameter(given.getKey());
                if (parameter.isEmpty()) {
                    errors.add(name + "workflow `" + target.id() + "` has no parameter `"
                            + CatalogLoader.shown(given.getKey()) + "`" + takes(target));
                    continue;
                }
                for (StepValues.Reference reference : StepValues.references(given.getValue())) {
                    reference(chain, step, parameter.get(), reference, byId).ifPresent(e -> errors.add(name + e));
                }
            }
            for (ParameterDefinition p : target.parameters()) {
                if (p.required()
                        && p.defaultValue() == null
                        && !step.parameters().containsKey(p.name())) {
                    errors.add(name + "workflow `" + target.id() + "` requires parameter `" + p.name()
                            + "`, which the step does not give");
                }
            }
        }
        return errors;
    }

    private static String takes(WorkflowDefinition target) {
        return target.parameters().isEmpty()
                ? " (it takes none)"
                : " (it takes "
                        + target.parameters().stream()
                                .map(ParameterDefinition::name)
                                .collect(Collectors.joining(", ")) + ")";
    }

    private static Optional<String> reference(
            WorkflowDefinition chain,
            ChainDefinition.Step step,
            ParameterDefinition into,
            StepValues.Reference reference,
            Map<String, WorkflowDefinition> byId) {
        String text = "`" + reference.text() + "`: ";
        if (reference instanceof StepValues.ParameterReference p) {
            Optional<ParameterDefinition> source = chain.parameter(p.name());
            if (source.isEmpty()) {
                return Optional.of(text + "the chain has no parameter `" + p.name() + "`");
            }
            if (source.get().isSecret() && !into.isSecret()) {
                return Optional.of(text + "a secret of the chain may only go into a secret parameter, and `"
                        + into.name() + "` is not one");
            }
            return Optional.empty();
        }
        StepValues.OutputReference o = (StepValues.OutputReference) reference;
        ChainDefinition steps = chain.chain().orElseThrow();
        Optional<ChainDefinition.Step> source = steps.step(o.step());
        if (source.isEmpty()) {
            return Optional.of(text + "the chain has no step `" + o.step() + "`");
        }
        if (!ancestors(steps, step.id()).contains(o.step())) {
            return Optional.of(text + "step `" + o.step() + "` does not come before step `" + step.id()
                    + "`, so it has no outputs yet (list it in `after`, directly or through other steps)");
        }
        if (source.get().isGate()) {
            return Optional.of(text + "step `" + o.step() + "` is an approval gate, and a gate publishes no outputs");
        }
        WorkflowDefinition producer = byId.get(source.get().workflow());
        if (producer == null) {
            return Optional.empty();
        }
        if (producer.isChain()) {
            return Optional.of(text + "step `" + o.step() + "` is a chain, and a chain publishes no outputs");
        }
        if (!producer.outputs().isEmpty() && !producer.outputs().contains(o.name())) {
            return Optional.of(text + "workflow `" + producer.id() + "` of step `" + o.step()
                    + "` declares the outputs " + String.join(", ", producer.outputs()) + ", not `" + o.name() + "`");
        }
        return Optional.empty();
    }

    /** Every step that must be over before {@code stepId} starts. */
    static Set<String> ancestors(ChainDefinition chain, String stepId) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(
                chain.step(stepId).map(ChainDefinition.Step::after).orElse(List.of()));
        while (!todo.isEmpty()) {
            String id = todo.remove(todo.size() - 1);
            if (seen.add(id)) {
                chain.step(id).ifPresent(s -> todo.addAll(s.after()));
            }
        }
        return seen;
    }

    /** A chain that contains itself, or nests too deep: the path that shows it. */
    private static Optional<String> nesting(WorkflowDefinition chain, Map<String, WorkflowDefinition> byId) {
        List<String> path = new ArrayList<>();
        path.add(chain.id());
        return walk(chain, byId, path, chain.id());
    }

    private static Optional<String> walk(
            WorkflowDefinition at, Map<String, WorkflowDefinition> byId, List<String> path, String origin) {
        for (ChainDefinition.Step step : at.chain().orElseThrow().steps()) {
            WorkflowDefinition inner = step.isGate() ? null : byId.get(step.workflow());
            if (inner == null || !inner.isChain()) {
                continue;
            }
            path.add(inner.id());
            if (inner.id().equals(origin)) {
                return Optional.of("chain `" + origin + "` contains itself, a cycle: " + String.join(" -> ", path));
            }
            if (path.contains(inner.id()) && path.indexOf(inner.id()) < path.size() - 1) {
                // a cycle further down, not through this chain: that chain reports it
                path.remove(path.size() - 1);
                continue;
            }
            if (path.size() > ChainDefinition.MAX_DEPTH) {
                return Optional.of("chains nest deeper than " + ChainDefinition.MAX_DEPTH + " levels: "
                        + String.join(" -> ", path));
            }
            Optional<String> found = walk(inner, byId, path, origin);
            if (found.isPresent()) {
                return found;
            }
            path.remove(path.size() - 1);
        }
        return Optional.empty();
    }
}
