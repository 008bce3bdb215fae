package org.fedoraproject.releng.workflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code releng} run in this JVM against a whole engine running real ansible-playbook. */
class RelengCliIT {

    @TempDir
    static Path engineHome;

    @TempDir
    Path userHome;

    static TestEngine engine;

    @BeforeAll
    static void start() {
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), engineHome.resolve("workflows"));
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("approval-workflows"), engineHome.resolve("workflows"));
        engine = TestEngine.start(engineHome, null);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    record Result(int exit, String out, String err) {}

    /** Runs {@code releng} with only {@code env} as its environment and {@link #userHome} as ~. */
    Result releng(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RelengCli.commandLine(env, userHome);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** With the engine's URL and the service account's token on the command line. */
    Result releng(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 4, args.length);
        all[0] = "--server";
        all[1] = engine.url("");
        all[2] = "--token";
        all[3] = TestEngine.TOKEN;
        return releng(Map.of(), all);
    }

    @Test
    void aRunWaitingForApprovalSaysSoItsStarterCannotDecideItAndItsRejectionFails() {
        Result asked = releng("run", "quick-approval");
        assertThat(asked.exit()).as(asked.err()).isZero();
        assertThat(asked.out()).startsWith("Waiting for approval: quick-approval #");
        String run = asked.out().replaceAll("(?s).*\\(run (\\d+)\\).*", "$1");

        Result own = releng("approve", run, "--comment", "mine");
        assertThat(own.exit()).isEqualTo(6);
        assertThat(own.err()).contains("never decided by its own starter");
        assertThat(releng("deny", run, "--comment", "mine").exit()).isEqualTo(6);

        Result waited = releng("run", "quick-approval", "--wait");
        assertThat(waited.exit()).isEqualTo(1);
        assertThat(waited.err()).contains("Waiting for approval").containsPattern("rejected \\(not approved in time");
        assertThat(releng("approve", run).exit())
                .as("decided by the deadline: 409")
                .isEqualTo(8);
    }

    @Test
    void everyCommandHasHelpThatNeedsNoEngine() {
        Result r = releng(Map.of(), "run", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("-p, --param=KEY=VALUE")
                .contains("--follow")
                .contains("--server=URL");
        assertThat(releng(Map.of(), "--help").out()).contains("Exit codes:").contains("9    the engine is unreachable");
    }

    @Test
    void listShowsTheCatalogWithLastRuns() {
        Result r = releng("list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("WORKFLOW")
                .contains("echo-params")
                .contains("Echo parameters")
                .contains("fail-on-second-task")
                .contains("sleeper");
    }

    @Test
    void runWithParametersAndFollowPrintsTheConsoleAndExitsZero() {
        Result r = releng(
                "run",
                "echo-params",
                "-p",
                "release=42",
                "-p",
                "label=cli.1",
                "-p",
                "count=3",
                "-p",
                "arches=x86_64,s390x",
                "--follow");

        assertThat(r.exit()).as(r.err()).isZero();
        // strings from -p arrive typed, and the comma list became a JSON list for the multichoice
        assertThat(r.out())
                .contains("release=42 label=cli.1 count=3 dry_run=True arches=x86_64,s390x")
                .contains("types count=int dry_run=bool arches=list")
                .contains("Finished: SUCCEEDED");
        assertThat(r.err())
                .containsPattern("Started echo-params #\\d+ \\(run \\d+\\)")
                .containsPattern("echo-params #\\d+ \\(run \\d+\\) succeeded");
    }

    @Test
    void repeatedKeysFilesAndJsonValuesBecomeTheRightParameters(@TempDir Path dir) throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "first line\nsecond line\n");

        Result r = releng(
                "run",
                "echo-params",
                "-p",
                "arches=aarch64",
                "-p",
                "arches=ppc64le",
                "-p",
                "notes=@" + notes,
                "-p",
                "dry_run:=false",
                "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode run = engine.read(r.out());
        JsonNode parameters = engine.awaitFinal(run.get("id").asLong()).get("parameters");
        assertThat(parameters.get("arches").toString()).isEqualTo("[\"aarch64\",\"ppc64le\"]");
        assertThat(parameters.get("notes").asText()).isEqualTo("first line\nsecond line");
        assertThat(parameters.get("dry_run").asBoolean()).isFalse();
    }

    @Test
    void failingRunExitsOneAndSaysSo() {
        Result r = releng("run", "fail-on-second-task", "--follow");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("second task failed on purpose").contains("Finished: FAILED");
        assertThat(r.err()).containsPattern("fail-on-second-task #\\d+ \\(run \\d+\\) failed \\(exit code 2\\): http");
    }

    @Test
    void waitWithoutFollowExitsWithTheRunsResultAndPrintsNoConsole() {
        Result r = releng("run", "fail-on-second-task", "--wait");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("second task failed on purpose");
    }

    @Test
    void refusedParameterExitsTwoNamingTheFieldAndWhy() {
        Result r = releng("run", "echo-params", "-p", "count=99", "-p", "release=41");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("the engine refused the parameters")
                .contains("parameter `count`: must be at most 10")
                .contains("parameter `release`: must be one of rawhide, 42");
    }

    @Test
    void malformedParameterIsAUsageError() {
        Result r = releng("run", "echo-params", "-p", "count");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("-p `count`: expected key=value");
    }

    @Test
    void statusShowsTheRunsStatusCauseAndParameters() {
        long id = engine.trigger("echo-params", "{\"label\":\"for-status\"}")
                .get("id")
                .asLong();
        engine.awaitFinal(id);

        Result r = releng("status", Long.toString(id));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("echo-params #\\d+ \\(run " + id + "\\)")
                .containsPattern("status: +succeeded \\(exit code 0\\)")
                .containsPattern("cause: +api by releng-bot")
                .contains("parameters:")
                .containsPattern("label: +for-status")
                .contains("/job/echo-params/")
                .contains("outputs:")
                .containsPattern("  release: +rawhide")
                .containsPattern("hosts: +ok on 1 host; 0 changes");
    }

    @Test
    void logPrintsTheWholeConsole() {
        long id = engine.trigger("echo-params", "{\"label\":\"for-log\"}")
                .get("id")
                .asLong();
        engine.awaitFinal(id);

        Result r = releng("log", Long.toString(id));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(engine.log(id)).contains("label=for-log").contains("Finished: SUCCEEDED");
    }

    @Test
    void logFollowOfAFinishedFailedRunExitsOne() {
        long id = engine.trigger("fail-on-second-task", null).get("id").asLong();
        engine.awaitFinal(id);

        Result r = releng("log", "--follow", Long.toString(id));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Finished: FAILED");
    }

    @Test
    void cancellingAFollowedSleeperEndsTheFollowWithExitThree() throws Exception {
        CompletableFuture<Result> followed =
                CompletableFuture.supplyAsync(() -> releng("run", "sleeper", "-p", "seconds=120", "--follow"));
        long id = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> latestRun("sleeper"),
                        n -> n != null && n.get("status").asText().equals("running"))
                .get("id")
                .asLong();

        Result cancel = releng("cancel", Long.toString(id));

        assertThat(cancel.exit()).as(cancel.err()).isZero();
        assertThat(cancel.out()).containsPattern("(Cancel requested for|Cancelled) sleeper #\\d+ \\(run " + id + "\\)");
        Result follow = followed.get(60, TimeUnit.SECONDS);
        assertThat(follow.exit()).isEqualTo(3);
        assertThat(follow.out()).contains("Finished: CANCELLED");
        assertThat(follow.err()).contains("cancelled");
    }

    @Test
    void aRunIsNamedByIdWorkflowAndNumberOrItsUrlAndTheConflictSaysWhichRun() {
        JsonNode run = engine.trigger("echo-params", null);
        long id = run.get("id").asLong();
        long number = run.get("number").asLong();
        engine.awaitFinal(id);

        for (String name : new String[] {
            Long.toString(id),
            "echo-params#" + number,
            engine.url("/job/echo-params/" + number + "/"),
            engine.url("/job/echo-params/" + number + "/console?line=3"),
            engine.url("/api/runs/" + id)
        }) {
            Result status = releng("status", name);
            assertThat(status.exit()).as(name + ": " + status.err()).isZero();
            assertThat(status.out()).as(name).contains("echo-params #" + number + " (run " + id + ")");
        }
        Result cancel = releng("cancel", "echo-params#" + number);
        assertThat(cancel.exit()).isEqualTo(8);
        assertThat(cancel.err())
                .isEqualTo("releng: refused: echo-params #" + number + " (run " + id
                        + ") is succeeded and cannot become cancelled\n");
        assertThat(releng("status", "echo-params#99999").exit()).isEqualTo(7);
        Result bad = releng("log", "no such run");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("names no run");
    }

    @Test
    void relaunchStartsTheSameParametersAgainWithAReason() {
        JsonNode run = engine.trigger("echo-params", "{\"label\":\"again\",\"count\":2}");
        engine.awaitFinal(run.get("id").asLong());

        Result r =
                releng("relaunch", "echo-params#" + run.get("number").asLong(), "--reason", "koji was down", "--wait");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode again = latestRun("echo-params");
        assertThat(again.get("id").asLong()).isGreaterThan(run.get("id").asLong());
        assertThat(again.path("parameters").path("label").asText()).isEqualTo("again");
        assertThat(again.path("parameters").path("count").asInt()).isEqualTo(2);
        assertThat(again.path("cause").path("type").asText()).isEqualTo("relaunch");
        assertThat(again.path("cause").path("reason").asText()).isEqualTo("koji was down");
        Result status = releng("status", Long.toString(again.get("id").asLong()));
        assertThat(status.out()).containsPattern("reason: +koji was down");
    }

    @Test
    void runTakesAReasonAndABadOneIsRefusedNamingTheField() {
        Result ok = releng("run", "echo-params", "--reason", "testing the reason", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("\"reason\" : \"testing the reason\"");

        Result bad = releng("run", "echo-params", "--reason", "two\nlines");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("reason").contains("control characters");
    }

    @Test
    void theApiKeepsAReasonWithTheCauseAndRefusesOneThatIsNoShortLine() {
        var created = engine.post(
                "/api/workflows/echo-params/runs", "{\"reason\": \"  after <the> outage \"}", TestEngine.TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(engine.read(created.body()).path("cause").path("reason").asText())
                .isEqualTo("after <the> outage");
        long id = engine.read(created.body()).get("id").asLong();
        assertThat(engine.run(id).path("transitions").get(0).path("reason").asText())
                .endsWith(": after <the> outage");

        for (String body : new String[] {
            "{\"reason\": 42}", "{\"reason\": \"a\\u0007b\"}", "{\"reason\": \"" + "x".repeat(501) + "\"}"
        }) {
            var refused = engine.post("/api/workflows/echo-params/runs", body, TestEngine.TOKEN);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(engine.read(refused.body()).path("fields").has("reason"))
                    .as(body)
                    .isTrue();
        }
    }

    @Test
    void cancellingAnEndedRunIsAConflict() {
        long id = engine.trigger("echo-params", null).get("id").asLong();
        engine.awaitFinal(id);

        Result r = releng("cancel", Long.toString(id));

        assertThat(r.exit()).isEqualTo(8);
        assertThat(r.err()).startsWith("releng: refused: ");
    }

    @Test
    void whoamiNamesTheServiceAccountAndItsGroups() {
        Result r = releng("whoami");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("releng-bot")
                .contains("groups:      releng")
                .contains("permissions:");
    }

    @Test
    void serverAndTokenComeFromTheEnvironment() {
        Result r = releng(Map.of("RELENG_URL", engine.url(""), "RELENG_TOKEN", TestEngine.TOKEN), "whoami");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("user:        releng-bot");
    }

    @Test
    void serverAndTokenFileComeFromTheConfigFileInHome() throws Exception {
        Path dir = Files.createDirectories(userHome.resolve(".config/releng"));
        Files.writeString(dir.resolve("token"), TestEngine.TOKEN + "\n");
        Files.writeString(dir.resolve("cli.yaml"), "server: " + engine.url("") + "\ntokenFile: token\n");

        Result r = releng(Map.of(), "whoami");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("user:        releng-bot");
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheConfigFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("cli.yaml");
        Files.writeString(config, "server: http://127.0.0.1:1\ntoken: wrong-token\n");
        Map<String, String> env = new HashMap<>();
        env.put("RELENG_TOKEN", TestEngine.TOKEN);

        Result r = releng(env, "whoami", "--config", config.toString(), "--server", engine.url(""));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("releng-bot");
    }

    @Test
    void unknownConfigKeyIsNamed(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("cli.yaml");
        Files.writeString(config, "url: " + engine.url("") + "\n");

        Result r = releng(Map.of(), "--config", config.toString(), "list");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown key `url`; known keys are server, token, tokenFile");
    }

    @Test
    void runWithoutATokenSaysHowToGiveOne() {
        Result r = releng(Map.of("RELENG_URL", engine.url("")), "run", "echo-params");

        assertThat(r.exit()).isEqualTo(6);
        assertThat(r.err())
                .contains("authentication required")
                .contains("--token-file")
                .contains("RELENG_TOKEN");
    }

    @Test
    void wrongTokenNamesWhereItCameFrom() {
        Result r = releng(Map.of("RELENG_URL", engine.url(""), "RELENG_TOKEN", "not-the-token"), "whoami");

        assertThat(r.exit()).isEqualTo(6);
        assertThat(r.err()).contains("the engine did not accept the token from RELENG_TOKEN");
    }

    @Test
    void noServerAnywhereIsAUsageErrorSayingWhereToPutIt() {
        Result r = releng(Map.of(), "list");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("no engine URL")
                .contains("--server")
                .contains("RELENG_URL")
                .contains("cli.yaml");
    }

    @Test
    void unknownWorkflowAndRunExitSeven() {
        assertThat(releng("run", "no-such-workflow").exit()).isEqualTo(7);
        Result r = releng("status", "999999");
        assertThat(r.exit()).isEqualTo(7);
        assertThat(r.err()).startsWith("releng: not found: ");
    }

    @Test
    void unreachableEngineExitsNine() {
        Result r = releng(Map.of(), "--server", "http://127.0.0.1:1", "list");

        assertThat(r.exit()).isEqualTo(9);
        assertThat(r.err()).contains("cannot connect to the engine at http://127.0.0.1:1");
    }

    private JsonNode latestRun(String workflow) {
        JsonNode runs = engine.read(engine.getWithToken("/api/runs?workflow=" + workflow + "&limit=1")
                        .body())
                .get("runs");
        return runs.isEmpty() ? null : runs.get(0);
    }
}
