package org.fedoraproject.releng.workflow.chain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.catalog.ChainDefinition;
import org.fedoraproject.releng.workflow.run.RunStatus;

/**
 * What a chain does next, from where its steps stand: which steps start, which are skipped, and
 * whether the chain is over and how. A step waits until every step it comes after is over; then
 * {@code when: success} runs if they all succeeded, {@code failure} if one failed, {@code always}
 * in any case, and a step whose {@code when} is not met is skipped (which may decide the steps
 * after it). The chain fails when a step failed and no {@code failure}/{@code always} step comes
 * directly after it.
 */
final class ChainProgress {

    enum State {
        PENDING,
        ACTIVE,
        SUCCEEDED,
        FAILED,
        SKIPPED;

        boolean isOver() {
            return this == SUCCEEDED || this == FAILED || this == SKIPPED;
        }

        /** A step run's status as the chain counts it: anything but success is a failure. */
        static State of(RunStatus status) {
            if (!status.isFinal()) {
                return ACTIVE;
            }
            return status == RunStatus.SUCCEEDED ? SUCCEEDED : FAILED;
        }
    }

    /** {@code outcome}: present once the chain is over (succeeded or failed). */
    record Plan(List<String> start, List<String> skip, Optional<RunStatus> outcome, List<String> unhandled) {}

    private ChainProgress() {}

    static Plan plan(ChainDefinition chain, Map<String, State> now) {
        Map<String, State> states = new LinkedHashMap<>();
        chain.steps().forEach(s -> states.put(s.id(), now.getOrDefault(s.id(), State.PENDING)));
        List<String> start = new ArrayList<>();
        List<String> skip = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ChainDefinition.Step step : chain.steps()) {
                if (states.get(step.id()) != State.PENDING
                        || !step.after().stream().allMatch(a -> states.get(a).isOver())) {
                    continue;
                }
                if (runs(step, states)) {
                    start.add(step.id());
                    states.put(step.id(), State.ACTIVE);
                } else {
                    skip.add(step.id());
                    // a skip may decide the steps after it within this same plan
                    states.put(step.id(), State.SKIPPED);
                    changed = true;
                }
            }
        }
        if (!states.values().stream().allMatch(State::isOver)) {
            return new Plan(start, skip, Optional.empty(), List.of());
        }
        List<String> unhandled = new ArrayList<>();
        for (ChainDefinition.Step step : chain.steps()) {
            if (states.get(step.id()) == State.FAILED && !handled(chain, step.id())) {
                unhandled.add(step.id());
            }
        }
        return new Plan(
                start, skip, Optional.of(unhandled.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.FAILED), unhandled);
    }

    private static boolean runs(ChainDefinition.Step step, Map<String, State> states) {
        return switch (step.when()) {
            case SUCCESS -> step.after().stream().allMatch(a -> states.get(a) == State.SUCCEEDED);
            case FAILURE -> step.after().stream().anyMatch(a -> states.get(a) == State.FAILED);
            case ALWAYS -> true;
        };
    }

    private static boolean handled(ChainDefinition chain, String failed) {
        return chain.steps().stream()
                .anyMatch(s -> s.after().contains(failed) && s.when() != ChainDefinition.When.SUCCESS);
    }
}
