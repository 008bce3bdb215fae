package org.fedoraproject.releng.workflow.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedoraproject.releng.workflow.catalog.ChainDefinition;
import org.fedoraproject.releng.workflow.catalog.ChainDefinition.When;
import org.fedoraproject.releng.workflow.chain.ChainProgress.State;
import org.fedoraproject.releng.workflow.run.RunStatus;
import org.junit.jupiter.api.Test;

class ChainProgressTest {

    private static ChainDefinition.Step step(String id, When when, String... after) {
        return new ChainDefinition.Step(id, "w", List.of(after), when, Map.of(), List.of(), Optional.empty());
    }

    /** compose; stage after compose; tell-qa on compose's failure; report always after stage and tell-qa. */
    private static final ChainDefinition CHAIN = new ChainDefinition(List.of(
            step("compose", When.SUCCESS),
            step("stage", When.SUCCESS, "compose"),
            step("tell-qa", When.FAILURE, "compose"),
            step("report", When.ALWAYS, "stage", "tell-qa")));

    private static ChainProgress.Plan plan(Object... idsAndStates) {
        Map<String, State> states = new HashMap<>();
        for (int i = 0; i < idsAndStates.length; i += 2) {
            states.put((String) idsAndStates[i], (State) idsAndStates[i + 1]);
        }
        return ChainProgress.plan(CHAIN, states);
    }

    @Test
    void stepsWithNothingBeforeThemStartFirst() {
        ChainProgress.Plan plan = plan();
        assertThat(plan.start()).containsExactly("compose");
        assertThat(plan.outcome()).isEmpty();
    }

    @Test
    void successRunsTheSuccessPathAndSkipsTheFailurePath() {
        ChainProgress.Plan plan = plan("compose", State.SUCCEEDED);
        assertThat(plan.start()).containsExactly("stage");
        assertThat(plan.skip()).containsExactly("tell-qa");
        assertThat(plan.outcome()).isEmpty();
    }

    @Test
    void aFailureRunsTheFailurePathSkipsWhatNeededSuccessAndAlwaysStepsStillRun() {
        ChainProgress.Plan plan = plan("compose", State.FAILED);
        assertThat(plan.start()).containsExactly("tell-qa");
        assertThat(plan.skip()).containsExactly("stage");
        ChainProgress.Plan later = plan("compose", State.FAILED, "stage", State.SKIPPED, "tell-qa", State.SUCCEEDED);
        assertThat(later.start()).containsExactly("report");
    }

    @Test
    void aHandledFailureLetsTheChainSucceed() {
        ChainProgress.Plan plan = plan(
                "compose", State.FAILED, "stage", State.SKIPPED, "tell-qa", State.SUCCEEDED, "report", State.SUCCEEDED);
        assertThat(plan.outcome()).contains(RunStatus.SUCCEEDED);
    }

    @Test
    void anUnhandledFailureFailsTheChainAndNamesTheStep() {
        ChainDefinition chain = new ChainDefinition(List.of(
                step("compose", When.SUCCESS),
                step("stage", When.SUCCESS, "compose"),
                step("tell", When.FAILURE, "compose")));
        ChainProgress.Plan plan = ChainProgress.plan(
                chain, Map.of("compose", State.SUCCEEDED, "stage", State.FAILED, "tell", State.SKIPPED));
        assertThat(plan.outcome()).contains(RunStatus.FAILED);
        assertThat(plan.unhandled()).containsExactly("stage");
    }

    @Test
    void anAlwaysStepAfterAFailedStepHandlesItAsDesignSays() {
        ChainProgress.Plan plan = plan(
                "compose", State.SUCCEEDED, "stage", State.FAILED, "tell-qa", State.SKIPPED, "report", State.SUCCEEDED);
        assertThat(plan.outcome()).contains(RunStatus.SUCCEEDED);
    }

    @Test
    void aSkipDecidesTheStepsAfterItInTheSamePlan() {
        ChainDefinition chain = new ChainDefinition(
                List.of(step("a", When.SUCCESS), step("b", When.FAILURE, "a"), step("c", When.SUCCESS, "b")));
        ChainProgress.Plan plan = ChainProgress.plan(chain, Map.of("a", State.SUCCEEDED));
        assertThat(plan.skip()).containsExactly("b", "c");
        assertThat(plan.outcome()).contains(RunStatus.SUCCEEDED);
    }

    @Test
    void nothingMovesWhileAStepIsActive() {
        ChainProgress.Plan plan = plan("compose", State.ACTIVE);
        assertThat(plan.start()).isEmpty();
        assertThat(plan.skip()).isEmpty();
        assertThat(plan.outcome()).isEmpty();
    }

    @Test
    void everyEndButSuccessCountsAsAFailure() {
        assertThat(State.of(RunStatus.LOST)).isEqualTo(State.FAILED);
        assertThat(State.of(RunStatus.CANCELLED)).isEqualTo(State.FAILED);
        assertThat(State.of(RunStatus.RUNNING)).isEqualTo(State.ACTIVE);
        assertThat(State.of(RunStatus.SUCCEEDED)).isEqualTo(State.SUCCEEDED);
    }
}
