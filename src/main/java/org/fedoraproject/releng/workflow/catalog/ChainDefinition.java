package org.fedoraproject.releng.workflow.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of a chain, in the order the file lists them. Each step runs another workflow (which
 * may itself be a chain) once the steps it comes {@code after} are over and its {@code when} holds.
 */
public record ChainDefinition(List<Step> steps) {

    /** How deep chains may nest: a chain of chains of chains, no deeper. */
    public static final int MAX_DEPTH = 3;

    public ChainDefinition {
        steps = List.copyOf(steps);
    }

    /** When a step runs, judged from the steps it comes after. */
    public enum When {
        SUCCESS,
        FAILURE,
        ALWAYS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code parameters}: values for the step's workflow, in which {@code ${parameters.NAME}} and
     * {@code ${steps.STEP.outputs.NAME}} are replaced when the step starts ({@link StepValues}).
     * {@code locks} are held by the step's run besides its workflow's own; with {@code approval}
     * the step's run waits for the chain's approvers (see docs/chains.md).
     */
    public record Step(
            String id,
            String workflow,
            List<String> after,
            When when,
            Map<String, JsonNode> parameters,
            List<String> locks,
            Optional<ApprovalRule> approval) {

        /**
         * An approval gate: a step with an {@code approval} and no {@code workflow}, at which the
         * chain waits until the chain's approvers decide.
         */
        public boolean isGate() {
            return workflow == null && approval.isPresent();
        }

        public Step {
            after = List.copyOf(after);
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
            locks = List.copyOf(locks);
        }
    }

    /** The gates among the steps. */
    public List<Step> gates() {
        return steps.stream().filter(Step::isGate).toList();
    }

    public Optional<Step> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
