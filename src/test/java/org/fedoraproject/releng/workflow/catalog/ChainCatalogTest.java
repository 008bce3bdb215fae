package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainCatalogTest {

    @TempDir
    Path dir;

    Path catalog;

    @BeforeEach
    void copyFixtures() {
        catalog = dir.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("chain-workflows"), catalog);
    }

    private Catalog load() {
        return new CatalogLoader(catalog, Clock.systemUTC()).load();
    }

    private List<String> errorsOf(String id, String yaml) throws Exception {
        Files.writeString(catalog.resolve(id + ".yaml"), "id: " + id + "\ntitle: t\n" + yaml);
        Catalog c = load();
        return c.findBroken(id)
                .orElseThrow(() -> new AssertionError(id + " is not broken"))
                .errors();
    }

    @Test
    void theChainFixturesLoadWithTheirStepsAndOutputs() {
        Catalog c = load();

        assertThat(c.broken()).isEmpty();
        WorkflowDefinition chain = c.find("pass-outputs").orElseThrow();
        assertThat(chain.isChain()).isTrue();
        assertThat(chain.playbook()).isNull();
        ChainDefinition.Step second = chain.chain().orElseThrow().step("second").orElseThrow();
        assertThat(second.workflow()).isEqualTo("note-taker");
        assertThat(second.after()).containsExactly("first");
        assertThat(second.when()).isEqualTo(ChainDefinition.When.SUCCESS);
        assertThat(second.parameters().get("note").asText()).isEqualTo("seen: ${steps.first.outputs.note}!");
        assertThat(c.find("fail-then-tell")
                        .orElseThrow()
                        .chain()
                        .orElseThrow()
                        .step("tell")
                        .orElseThrow()
                        .when())
                .isEqualTo(ChainDefinition.When.FAILURE);
        assertThat(c.find("note-taker").orElseThrow().outputs()).containsExactly("note");
    }

    @Test
    void stepLocksAndApprovalAreReadAsAWorkflowsAre() throws Exception {
        Files.writeString(
                catalog.resolve("guarded.yaml"),
                "id: guarded\ntitle: t\nsteps:\n"
                        + "  - {id: a, workflow: echo-params, locks: [compose],"
                        + " approval: {count: 2, timeout: 90m, unless: [schedule, \"group:releng\"]}}\n");
        ChainDefinition.Step a = load().find("guarded")
                .orElseThrow()
                .chain()
                .orElseThrow()
                .step("a")
                .orElseThrow();
        assertThat(a.locks()).containsExactly("compose");
        ApprovalRule rule = a.approval().orElseThrow();
        assertThat(rule.count()).isEqualTo(2);
        assertThat(rule.timeout()).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(rule.unlessCauses()).containsExactly("schedule");
        assertThat(rule.unlessPrincipals()).containsExactly("group:releng");
    }

    @Test
    void aBadStepApprovalIsRefusedWithTheStep() throws Exception {
        assertThat(errorsOf("c", "steps:\n  - {id: a, workflow: echo-params, approval: {count: 0}}\n"))
                .anyMatch(e -> e.contains("steps[0].approval.count") && e.contains("at least 1"));
        assertThat(errorsOf("d", "steps:\n  - {id: a, workflow: echo-params, approval: {unless: [nobody]}}\n"))
                .anyMatch(e -> e.contains("steps[0].approval.unless") && e.contains("`nobody` must be a cause"));
        assertThat(errorsOf("e", "steps:\n  - {id: a, workflow: echo-params, approval: {cnt: 1}}\n"))
                .anyMatch(e -> e.contains("steps[0].approval") && e.contains("must be a mapping such as"));
    }

    @Test
    void aStepWithAnApprovalAndNoWorkflowIsAGateThatRunsNothing() throws Exception {
        Files.writeString(
                catalog.resolve("gated.yaml"),
                "id: gated\ntitle: t\nsteps:\n  - {id: a, workflow: echo-params}\n"
                        + "  - {id: go, approval: {count: 2, timeout: 1h}, after: [a]}\n");
        ChainDefinition chain = load().find("gated").orElseThrow().chain().orElseThrow();
        assertThat(chain.gates()).extracting(ChainDefinition.Step::id).containsExactly("go");
        assertThat(chain.step("go").orElseThrow().approval().orElseThrow().count())
                .isEqualTo(2);

        assertThat(errorsOf("c", "steps:\n  - {id: go, approval: {count: 1}, locks: [compose]}\n"))
                .anyMatch(e -> e.contains("an approval gate") && e.contains("no `parameters` or `locks`"));
        assertThat(errorsOf("d", "steps:\n  - {id: go}\n"))
                .anyMatch(e -> e.contains("steps[0].workflow") && e.contains("for an approval gate"));
        assertThat(errorsOf(
                        "e",
                        "steps:\n  - {id: go, approval: {count: 1}}\n"
                                + "  - {id: b, workflow: note-taker, after: [go],"
                                + " parameters: {note: \"${steps.go.outputs.x}\"}}\n"))
                .anyMatch(e -> e.contains("is an approval gate, and a gate publishes no outputs"));
    }

    @Test
    void aChainOfItsOwnHoldsNoLocks() throws Exception {
        assertThat(errorsOf("c", "locks: [compose]\nsteps:\n  - {id: a, workflow: echo-params}\n"))
                .anyMatch(e -> e.contains("locks: ")
                        && e.contains("a chain cannot hold locks")
                        && e.contains("put the locks on its steps"));
    }

    @Test
    void unknownWorkflowNamesTheStep() throws Exception {
        assertThat(errorsOf("c", "steps:\n  - {id: a, workflow: no-such-thing}\n"))
                .containsExactly("workflows/c.yaml: step `a`: unknown workflow `no-such-thing`");
    }

    @Test
    void unknownStepInAfterNamesBoth() throws Exception {
        assertThat(errorsOf("c", "steps:\n  - {id: a, workflow: echo-params, after: [b]}\n"))
                .singleElement()
                .asString()
                .contains("step `a`: `after` names an unknown step `b`");
    }

    @Test
    void aCycleIsNamed() throws Exception {
        assertThat(errorsOf(
                        "c",
                        "steps:\n  - {id: a, workflow: echo-params, after: [c]}\n"
                                + "  - {id: b, workflow: echo-params, after: [a]}\n"
                                + "  - {id: c, workflow: echo-params, after: [b]}\n"))
                .singleElement()
                .asString()
                .contains("the steps form a cycle: ")
                .containsAnyOf("a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c");
    }

    @Test
    void anOutputNoEarlierStepCanHaveIsRefused() throws Exception {
        // note-taker declares only `note`
        assertThat(
                        errorsOf(
                                "c",
                                "steps:\n  - {id: a, workflow: note-taker}\n"
                                        + "  - {id: b, workflow: note-taker, after: [a], parameters: {note: \"${steps.a.outputs.label}\"}}\n"))
                .singleElement()
                .asString()
                .contains(
                        "step `b`: `${steps.a.outputs.label}`: workflow `note-taker` of step `a` declares the outputs note, not `label`");
        // a step that does not come before cannot have outputs yet
        assertThat(
                        errorsOf(
                                "d",
                                "steps:\n  - {id: a, workflow: note-taker}\n"
                                        + "  - {id: b, workflow: note-taker, parameters: {note: \"${steps.a.outputs.note}\"}}\n"))
                .singleElement()
                .asString()
                .contains("step `b`: `${steps.a.outputs.note}`: step `a` does not come before step `b`");
    }

    @Test
    void anUndeclaredOutputIsTrustedUntilTheRun() throws Exception {
        // echo-params declares no outputs: anything may come, and the run says if it did not
        Files.writeString(
                catalog.resolve("c.yaml"),
                "id: c\ntitle: t\nsteps:\n  - {id: a, workflow: echo-params}\n"
                        + "  - {id: b, workflow: note-taker, after: [a], parameters: {note: \"${steps.a.outputs.whatever}\"}}\n");
        assertThat(load().find("c")).isPresent();
    }

    @Test
    void unknownChainParameterAndUnknownStepParameterAreRefused() throws Exception {
        assertThat(
                        errorsOf(
                                "c",
                                "steps:\n  - {id: a, workflow: note-taker, parameters: {note: \"${parameters.nope}\", colour: red}}\n"))
                .anySatisfy(e ->
                        assertThat(e).contains("step `a`: `${parameters.nope}`: the chain has no parameter `nope`"))
                .anySatisfy(e -> assertThat(e)
                        .contains("step `a`: workflow `note-taker` has no parameter `colour` (it takes note)"));
    }

    @Test
    void aBadReferenceIsRefusedWithTheStep() throws Exception {
        assertThat(errorsOf("c", "steps:\n  - {id: a, workflow: note-taker, parameters: {note: \"${ 1 + 1 }\"}}\n"))
                .singleElement()
                .asString()
                .contains("step `a`: `${ 1 + 1 }` is not a reference");
        assertThat(errorsOf("d", "steps:\n  - {id: a, workflow: note-taker, parameters: {note: \"${parameters.x\"}}\n"))
                .singleElement()
                .asString()
                .contains("step `a`: `${parameters.x` is not closed");
    }

    @Test
    void aChainSecretGoesOnlyIntoASecret() throws Exception {
        assertThat(
                        errorsOf(
                                "c",
                                "parameters:\n  - {name: token, type: secret}\n"
                                        + "steps:\n  - {id: a, workflow: note-taker, parameters: {note: \"${parameters.token}\"}}\n"))
                .singleElement()
                .asString()
                .contains("a secret of the chain may only go into a secret parameter");
    }

    @Test
    void aChainWhoseStepWorkflowIsBrokenIsBroken() throws Exception {
        Files.writeString(
                catalog.resolve("note-taker.yaml"), "id: note-taker\ntitle: t\nplaybook: playbooks/gone.yml\n");
        Catalog c = load();
        assertThat(c.findBroken("pass-outputs").orElseThrow().errors())
                .contains(
                        "workflows/pass-outputs.yaml: step `first`: workflow `note-taker` is broken (see its own errors)");
        // and so, in turn, is a chain of that chain
        Files.writeString(
                catalog.resolve("outer.yaml"), "id: outer\ntitle: t\nsteps:\n  - {id: x, workflow: pass-outputs}\n");
        assertThat(load().findBroken("outer").orElseThrow().errors())
                .containsExactly(
                        "workflows/outer.yaml: step `x`: workflow `pass-outputs` is broken (see its own errors)");
    }

    @Test
    void chainsNestUpToThreeLevelsAndNeverContainThemselves() throws Exception {
        Files.writeString(catalog.resolve("l2.yaml"), "id: l2\ntitle: t\nsteps:\n  - {id: x, workflow: nested}\n");
        assertThat(load().find("l2")).isPresent();
        assertThat(errorsOf("l3", "steps:\n  - {id: x, workflow: l2}\n"))
                .singleElement()
                .asString()
                .contains("chains nest deeper than 3 levels: l3 -> l2 -> nested -> fail-then-tell");
        assertThat(errorsOf("self", "steps:\n  - {id: x, workflow: self}\n"))
                .singleElement()
                .asString()
                .contains("chain `self` contains itself, a cycle: self -> self");
        Files.writeString(catalog.resolve("ping.yaml"), "id: ping\ntitle: t\nsteps:\n  - {id: x, workflow: pong}\n");
        assertThat(errorsOf("pong", "steps:\n  - {id: x, workflow: ping}\n"))
                .singleElement()
                .asString()
                .contains("chain `pong` contains itself, a cycle: pong -> ping -> pong");
    }

    @Test
    void aChainHasStepsOrAPlaybookNotBoth() throws Exception {
        assertThat(errorsOf("c", "playbook: playbooks/echo-params.yml\nsteps:\n  - {id: a, workflow: echo-params}\n"))
                .singleElement()
                .asString()
                .contains("a chain has `steps` instead of a playbook");
    }

    @Test
    void aStepGivingNoValueForARequiredParameterIsRefused() throws Exception {
        assertThat(errorsOf("c", "steps:\n  - {id: a, workflow: with-secret}\n"))
                .anySatisfy(e -> assertThat(e).contains("step `a`: workflow `with-secret` requires parameter"));
    }
}
