package org.fedoraproject.releng.workflow.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jenkins/vars/relengWorkflow.groovy, run with Groovy and stand-in Pipeline steps against a whole engine. */
class RelengWorkflowStepIT {

    static final Path STEP = Path.of("jenkins/vars/relengWorkflow.groovy");
    static final String BUILD_URL = "https://jenkins.example.org/job/compose/42/";

    @TempDir
    static Path home;

    static TestEngine engine;

    FakeJenkins jenkins;

    @BeforeAll
    static void start() {
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), home.resolve("workflows"));
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("approval-workflows"), home.resolve("workflows"));
        engine = TestEngine.start(home, null);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @BeforeEach
    void newBuild() {
        jenkins = new FakeJenkins()
                .credential("releng-token", TestEngine.TOKEN)
                .env("RELENG_URL", engine.url(""))
                .env("BUILD_URL", BUILD_URL);
    }

    /** Calls the step as {@code relengWorkflow(args)} in a Jenkinsfile would. */
    @SuppressWarnings("unchecked")
    Map<String, Object> relengWorkflow(Map<String, Object> args) throws IOException {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(FakePipelineScript.class.getName());
        Binding binding = new Binding();
        binding.setVariable("jenkins", jenkins);
        binding.setVariable("env", jenkins.envMap());
        Script script = new GroovyShell(getClass().getClassLoader(), binding, config).parse(STEP.toFile());
        try {
            return (Map<String, Object>) script.invokeMethod("call", new Object[] {args});
        } catch (InvokerInvocationException e) {
            // Groovy wraps checked exceptions at this Java-to-Groovy edge; Jenkins' build sees the original
            throw RelengWorkflowStepIT.<RuntimeException>rethrow(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }

    static Map<String, Object> args(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void succeedingRunReturnsItsIdentityAndEchoesItsConsoleWhenFollowing() throws Exception {
        Map<String, Object> result = relengWorkflow(args(
                "workflow",
                "echo-params",
                "credentialsId",
                "releng-token",
                "follow",
                true,
                "pollInterval",
                0.2,
                "parameters",
                args("release", "42", "label", "jenkins.1", "count", 3, "arches", List.of("x86_64", "s390x"))));

        assertThat(result)
                .containsOnlyKeys("id", "number", "status", "url", "outputs", "dryRun")
                .containsEntry("status", "succeeded")
                .containsEntry("outputs", Map.of("release", "42", "label", "jenkins.1"))
                .containsEntry("dryRun", false);
        JsonNode run = engine.run(((Number) result.get("id")).longValue());
        assertThat(result.get("url")).isEqualTo(run.get("url").asText());
        assertThat(((Number) result.get("number")).longValue())
                .isEqualTo(run.get("number").asLong());
        assertThat(jenkins.console())
                .contains("relengWorkflow: started echo-params #" + result.get("number") + ": " + result.get("url"))
                .contains("release=42 label=jenkins.1 count=3 dry_run=True arches=x86_64,s390x")
                .contains("types count=int dry_run=bool arches=list")
                .contains("Finished: SUCCEEDED")
                .doesNotContain(TestEngine.TOKEN);
        // the console is echoed line by line as Jenkins would show it, each line once
        assertThat(jenkins.console().split("Finished: SUCCEEDED", -1)).hasSize(2);
        assertThat(jenkins.requests()).anyMatch(r -> r.contains("/log?start="));
        // the build is named as the cause, for when the engine records it
        JsonNode trigger = engine.read(jenkins.bodies().get(0));
        assertThat(trigger.get("cause").get("type").asText()).isEqualTo("pipeline");
        assertThat(trigger.get("cause").get("detail").asText()).isEqualTo(BUILD_URL);
        assertThat(trigger.get("parameters").get("arches").toString()).isEqualTo("[\"x86_64\",\"s390x\"]");
    }

    @Test
    void failingRunFailsTheBuildWithAMessageNamingTheRunUrl() {
        assertThatThrownBy(() -> relengWorkflow(
                        args("workflow", "fail-on-second-task", "credentialsId", "releng-token", "pollInterval", 0.2)))
                .isInstanceOf(AbortException.class)
                .hasMessageMatching("relengWorkflow: fail-on-second-task #\\d+ failed: "
                        + engine.engine().baseUrl() + "/job/fail-on-second-task/\\d+/");
        // waiting without follow: the console stays out of the build log
        assertThat(jenkins.console()).doesNotContain("second task failed on purpose");
    }

    @Test
    void aRunWaitingForApprovalIsReportedAndItsRejectionFailsTheBuildWithTheReason() {
        // quick-approval waits two seconds for an approver nobody is
        assertThatThrownBy(() -> relengWorkflow(args(
                        "workflow",
                        "quick-approval",
                        "credentialsId",
                        "releng-token",
                        "follow",
                        true,
                        "pollInterval",
                        0.2)))
                .isInstanceOf(AbortException.class)
                .hasMessageMatching("relengWorkflow: quick-approval #\\d+ rejected: .*/job/quick-approval/\\d+/"
                        + " \\(not approved in time .*\\)");
        assertThat(jenkins.console())
                .containsPattern(
                        "relengWorkflow: quick-approval #\\d+ is waiting for approval \\(0 of 1 so far, deadline ")
                .contains("was rejected");
    }

    @Test
    void withoutPropagateAFailedRunIsReturnedInsteadOfFailingTheBuild() throws Exception {
        Map<String, Object> result = relengWorkflow(args(
                "workflow",
                "fail-on-second-task",
                "credentialsId",
                "releng-token",
                "propagate",
                false,
                "pollInterval",
                0.2));

        assertThat(result.get("status")).isEqualTo("failed");
        assertThat(jenkins.console()).contains("fail-on-second-task #" + result.get("number") + " failed");
    }

    @Test
    void waitFalseReturnsAtOnceWhileTheRunIsQueuedOrRunning() throws Exception {
        Map<String, Object> result = relengWorkflow(args(
                "workflow",
                "sleeper",
                "credentialsId",
                "releng-token",
                "wait",
                false,
                "parameters",
                args("seconds", 30)));

        assertThat(result.get("status")).isIn("queued", "running");
        long id = ((Number) result.get("id")).longValue();
        assertThat(engine.run(id).get("status").asText()).isIn("queued", "running");
        engine.post("/api/runs/" + id + "/cancel", "", TestEngine.TOKEN);
        assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void abortingTheBuildCancelsTheRun() throws Exception {
        CompletableFuture<Throwable> step = new CompletableFuture<>();
        jenkins.abortWhen(() -> jenkins.console().contains("relengWorkflow: started sleeper"));
        Thread build = new Thread(() -> {
            try {
                relengWorkflow(args(
                        "workflow",
                        "sleeper",
                        "credentialsId",
                        "releng-token",
                        "follow",
                        true,
                        "pollInterval",
                        0.2,
                        "parameters",
                        args("seconds", 120)));
                step.complete(null);
            } catch (Throwable t) {
                step.complete(t);
            }
        });
        build.start();

        assertThat(step.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(jenkins.console()).contains("build aborted, cancelling sleeper #");
        String cancel = jenkins.requests().get(jenkins.requests().size() - 1);
        long id = Long.parseLong(cancel.replaceAll(".*/api/runs/(\\d+)/cancel$", "$1"));
        assertThat(engine.awaitFinal(id).get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void optionsArePassedSoACheckRunIsADryRun() throws Exception {
        Map<String, Object> result = relengWorkflow(args(
                "workflow",
                "echo-params",
                "credentialsId",
                "releng-token",
                "pollInterval",
                0.2,
                "options",
                args("check", true)));

        assertThat(result).containsEntry("status", "succeeded");
        JsonNode run = engine.run(((Number) result.get("id")).longValue());
        assertThat(run.at("/options/check").asBoolean()).isTrue();
        assertThat(engine.log(run.get("id").asLong())).contains(" --check ", "DRY RUN");
        assertThat(engine.read(jenkins.bodies().get(0)).get("options").toString())
                .isEqualTo("{\"check\":true}");
    }

    @Test
    void optionsTheWorkflowDoesNotAllowFailTheBuildNamingThem() {
        assertThatThrownBy(() -> relengWorkflow(args(
                        "workflow", "echo-params", "credentialsId", "releng-token", "options", args("verbosity", 2))))
                .isInstanceOf(AbortException.class)
                .hasMessage("relengWorkflow: the engine refused the parameters of echo-params: "
                        + "options.verbosity: not allowed for this workflow");
        assertThatThrownBy(() -> relengWorkflow(
                        args("workflow", "echo-params", "credentialsId", "releng-token", "options", "--check")))
                .isInstanceOf(AbortException.class)
                .hasMessage("relengWorkflow: `options` must be a map such as [check: true]");
    }

    @Test
    void refusedParametersFailTheBuildNamingEachField() {
        assertThatThrownBy(() -> relengWorkflow(args(
                        "workflow",
                        "echo-params",
                        "credentialsId",
                        "releng-token",
                        "parameters",
                        args("count", 99, "release", "41"))))
                .isInstanceOf(AbortException.class)
                .hasMessage("relengWorkflow: the engine refused the parameters of echo-params: "
                        + "count: must be at most 10; release: must be one of rawhide, 42");
    }

    @Test
    void wrongTokenFailsTheBuildNamingTheCredential() {
        jenkins.credential("stale-token", "not-a-valid-token");

        assertThatThrownBy(() -> relengWorkflow(args("workflow", "echo-params", "credentialsId", "stale-token")))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith(
                        "relengWorkflow: the engine did not accept the token in credential 'stale-token'");
        assertThat(jenkins.console()).doesNotContain("not-a-valid-token");
    }

    @Test
    void unknownWorkflowFailsTheBuild() {
        assertThatThrownBy(() -> relengWorkflow(args("workflow", "no-such-workflow", "credentialsId", "releng-token")))
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("relengWorkflow: no workflow no-such-workflow on " + engine.url(""));
    }

    @Test
    void missingOrMistypedArgumentsAreReportedBeforeAnyRequest() {
        assertThatThrownBy(() -> relengWorkflow(args("workflow", "echo-params")))
                .hasMessageContaining("`credentialsId` is required");
        assertThatThrownBy(() -> relengWorkflow(
                        args("workflow", "echo-params", "credentialsId", "releng-token", "params", Map.of())))
                .hasMessageContaining("unknown argument `params`");
        assertThat(jenkins.requests()).isEmpty();
    }

    @Test
    void theFakeHttpRequestFailsOnErrorStatusesByDefaultAsThePluginDoes() {
        jenkins.env("UNUSED", "x");
        assertThatThrownBy(() -> jenkins.httpRequest(args("url", engine.url("/api/runs/999999"))))
                .isInstanceOf(AbortException.class)
                .hasMessage("Fail: Status code 404 is not in the accepted range: 100:399");
        assertThat(FakeJenkins.accepted("200,201", 201)).isTrue();
        assertThat(FakeJenkins.accepted("100:399", 400)).isFalse();
    }
}
