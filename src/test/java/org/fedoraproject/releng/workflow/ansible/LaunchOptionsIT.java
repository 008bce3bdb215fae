package org.fedoraproject.releng.workflow.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.cli.RelengCli;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Launch options and vault passwords end to end: through the API, the CLI and the Run form, with
 * the real ansible-playbook on an inventory of three local hosts, and a variable file encrypted by
 * the real ansible-vault.
 */
class LaunchOptionsIT {

    static final String VAULT_PASSWORD = "vault-pass-7f3a9c21e5";
    static final String VAULTED_TOKEN = "tok-5d1c0b8e2f4a";

    @TempDir
    static Path home;

    @TempDir
    Path markers;

    @TempDir
    Path userHome;

    static TestEngine engine;
    static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("options-workflows"), catalog);
        passwordFile = home.resolve("vault-releng");
        Files.createFile(
                passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, VAULT_PASSWORD + "\n");
        Path vaulted = Files.createDirectories(catalog.resolve("vars")).resolve("vaulted.yml");
        Files.writeString(vaulted, "vaulted_token: " + VAULTED_TOKEN + "\n");
        Process encrypt = new ProcessBuilder(
                        "ansible-vault", "encrypt", "--vault-id", "releng@" + passwordFile, vaulted.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(encrypt.getInputStream().readAllBytes());
        assertThat(encrypt.waitFor()).as(said).isZero();
        assertThat(Files.readString(vaulted)).startsWith("$ANSIBLE_VAULT;1.2;AES256;releng");
        String hash = PasswordHash.hash("correct horse".toCharArray());
        engine = TestEngine.startWith(
                home,
                catalog,
                "  localAdmin: {username: breakglass, passwordHash: \"" + hash + "\"}\n"
                        + "ansible:\n  vaultPasswordFiles: {releng: " + passwordFile + "}\n",
                Map.of());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    JsonNode runKnobs(String workflow, String options) {
        HttpResponse<String> r = trigger(workflow, options);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return engine.awaitFinal(engine.read(r.body()).path("id").asLong());
    }

    HttpResponse<String> trigger(String workflow, String options) {
        return engine.post(
                "/api/workflows/" + workflow + "/runs",
                "{\"parameters\":{\"marker_dir\":\"" + markers + "\"}"
                        + (options == null ? "" : ",\"options\":" + options) + "}",
                TestEngine.TOKEN);
    }

    String log(JsonNode run) {
        return engine.log(run.path("id").asLong());
    }

    static void assertSucceeded(JsonNode run, String log) {
        assertThat(run.path("status").asText()).as(log).isEqualTo("succeeded");
    }

    @Test
    void withoutOptionsEveryHostRunsEveryTask() throws Exception {
        JsonNode run = runKnobs("launch-knobs", null);
        String log = log(run);

        assertSucceeded(run, log);
        assertThat(markerFiles())
                .containsExactlyInAnyOrder(
                        "compose-x86-01-created", "compose-x86-02-created", "compose-arm-01-created");
        assertThat(log)
                .contains("sync ran on compose-arm-01", "compose ran on compose-x86-01")
                .doesNotContain("very verbose detail", "--check", "DRY RUN");
        assertThat(run.path("options").path("check").asBoolean()).isFalse();
    }

    @Test
    void checkModeCreatesNothingAndTheRunIsADryRunEverywhere() throws Exception {
        JsonNode run = runKnobs("launch-knobs", "{\"check\":true}");
        String log = log(run);

        assertSucceeded(run, log);
        assertThat(markerFiles()).as("check mode creates no file").isEmpty();
        assertThat(log)
                .containsPattern("\\$ ansible-playbook .* --check .*knobs.yml")
                .contains("DRY RUN")
                .containsPattern("compose-x86-01\\s*: ok=\\d+\\s+changed=1 ");
        assertThat(run.path("options").path("check").asBoolean()).isTrue();
        JsonNode listed = engine.read(
                engine.getWithToken("/api/runs?workflow=launch-knobs&limit=50").body());
        assertThat(listed.path("runs").findValues("options"))
                .anyMatch(o -> o.path("check").asBoolean());
        try (WebClient browser = browser()) {
            HtmlPage page = browser.getPage(
                    engine.url("/job/launch-knobs/" + run.path("number").asText() + "/"));
            assertThat(page.getElementById("dry-run").asNormalizedText()).isEqualTo("dry run");
            assertThat(page.getElementById("options").asNormalizedText()).isEqualTo("--check");
            HtmlPage history = browser.getPage(engine.url("/job/launch-knobs/"));
            assertThat(history.getElementById("history").asNormalizedText()).contains("dry run");
        }
    }

    @Test
    void limitRunsOnlyTheMatchingHosts() throws Exception {
        JsonNode run = runKnobs("launch-knobs", "{\"limit\":\"compose-x86-*\"}");
        String log = log(run);

        assertSucceeded(run, log);
        assertThat(log)
                .contains("--limit compose-x86-* ", "sync ran on compose-x86-01", "sync ran on compose-x86-02")
                .doesNotContain("compose-arm-01");
        assertThat(markerFiles()).containsExactlyInAnyOrder("compose-x86-01-created", "compose-x86-02-created");
    }

    @Test
    void tagsChooseTheTasksAndSkipTagsLeaveThemOut() throws Exception {
        JsonNode only = runKnobs("launch-knobs", "{\"tags\":[\"sync\"]}");
        String onlyLog = log(only);
        assertSucceeded(only, onlyLog);
        assertThat(onlyLog)
                .contains("--tags sync ", "sync ran on compose-arm-01")
                .doesNotContain("compose ran on");
        assertThat(markerFiles()).isEmpty();

        JsonNode skip = runKnobs("launch-knobs", "{\"skipTags\":[\"create\",\"sync\"]}");
        String skipLog = log(skip);
        assertSucceeded(skip, skipLog);
        assertThat(skipLog)
                .contains("--skip-tags create,sync ", "compose ran on compose-arm-01")
                .doesNotContain("sync ran on");
        assertThat(markerFiles()).isEmpty();
    }

    @Test
    void verbosityShowsWhatOnlyVerboseOutputHolds() {
        JsonNode run = runKnobs("launch-knobs", "{\"verbosity\":2}");
        String log = log(run);

        assertSucceeded(run, log);
        assertThat(log)
                .containsPattern("\\$ ansible-playbook .* -vv .*knobs.yml")
                .contains("very verbose detail");
    }

    @Test
    void diffShowsWhatATaskChanges() {
        JsonNode run = runKnobs("launch-knobs", "{\"diff\":true,\"limit\":\"compose-arm-01\"}");
        String log = log(run);

        assertSucceeded(run, log);
        assertThat(log)
                .contains(
                        "--diff", "+++ after", "+made by run " + run.path("id").asText());
    }

    @Test
    void optionsTheWorkflowDoesNotAllowOrThatAreMalformedAre400NamingEachOption() throws Exception {
        HttpResponse<String> none = trigger("no-knobs", "{\"check\":true,\"verbosity\":1,\"limit\":\"a\"}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(engine.read(none.body()).path("fields").toString())
                .contains("\"options.check\":\"not allowed for this workflow\"")
                .contains("\"options.verbosity\":\"not allowed for this workflow\"")
                .contains("\"options.limit\":\"not allowed for this workflow\"");

        Map<String, String> refused = Map.of(
                "{\"limit\":\"@/etc/passwd\"}", "options.limit",
                "{\"limit\":\"web01 web02\"}", "options.limit",
                "{\"tags\":[\"deploy\"]}", "options.tags",
                "{\"skipTags\":\"sync\"}", "options.skipTags",
                "{\"verbosity\":3}", "options.verbosity",
                "{\"check\":\"yes\"}", "options.check",
                "{\"forks\":50}", "options.forks",
                "[\"check\"]", "options");
        refused.forEach((options, field) -> {
            HttpResponse<String> r = trigger("launch-knobs", options);
            assertThat(r.statusCode()).as(options).isEqualTo(400);
            assertThat(engine.read(r.body()).path("fields").fieldNames())
                    .toIterable()
                    .as(options + " -> " + r.body())
                    .containsExactly(field);
        });
        assertThat(markerFiles()).as("no refused run ran").isEmpty();
    }

    @Test
    void aRelaunchRepeatsTheOptions() {
        JsonNode first = runKnobs("launch-knobs", "{\"check\":true,\"tags\":[\"create\"]}");
        HttpResponse<String> r =
                engine.post("/api/runs/" + first.path("id").asLong() + "/relaunch", "{}", TestEngine.TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode again = engine.awaitFinal(engine.read(r.body()).path("id").asLong());

        assertThat(again.path("options")).isEqualTo(first.path("options"));
        assertThat(log(again)).contains("--check --tags create ");
    }

    @Test
    void theCliPassesCheckLimitTagsAndVerbosityAndStatusSaysDryRun() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = RelengCli.commandLine(Map.of(), userHome);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute(
                "--server",
                engine.url(""),
                "--token",
                TestEngine.TOKEN,
                "run",
                "launch-knobs",
                "-p",
                "marker_dir=" + markers,
                "--check",
                "--limit",
                "compose-arm-01",
                "--tags",
                "create,sync",
                "-vv",
                "--wait",
                "--json");

        assertThat(exit).as(out.toString()).isZero();
        JsonNode queued = engine.read(out.toString());
        JsonNode run = engine.run(queued.path("id").asLong());
        assertThat(run.path("options").toString())
                .isEqualTo("{\"check\":true,\"diff\":false,\"limit\":\"compose-arm-01\",\"tags\":[\"create\",\"sync\"],"
                        + "\"skipTags\":[],\"verbosity\":2}");
        assertThat(log(run))
                .contains("--check --limit compose-arm-01 --tags create,sync -vv ")
                .contains("sync ran on compose-arm-01")
                .doesNotContain("compose-x86-01", "compose ran on");
        assertThat(markerFiles()).isEmpty();

        StringWriter status = new StringWriter();
        CommandLine statusCli = RelengCli.commandLine(Map.of(), userHome);
        statusCli.setOut(new PrintWriter(status, true));
        assertThat(statusCli.execute(
                        "--server",
                        engine.url(""),
                        "--token",
                        TestEngine.TOKEN,
                        "status",
                        run.path("id").asText()))
                .isZero();
        assertThat(status.toString())
                .contains("[dry run]")
                .containsPattern("options:\\s+--check \\(dry run\\) --limit compose-arm-01 --tags create,sync -vv");
    }

    @Test
    void theRunFormOffersOnlyTheAllowedOptionsAndPassesThem() throws Exception {
        try (WebClient browser = browser()) {
            logIn(browser);
            HtmlPage none = browser.getPage(engine.base("/job/no-knobs/"));
            assertThat(none.getElementById("run-form")).isNotNull();
            assertThat(none.getElementById("launch-options"))
                    .as("no-knobs allows nothing")
                    .isNull();

            HtmlPage page = browser.getPage(engine.base("/job/launch-knobs/"));
            HtmlForm form = (HtmlForm) page.getElementById("run-form");
            form.getInputByName("marker_dir").setValue(markers.toString());
            ((HtmlCheckBoxInput) page.getElementById("o-check")).setChecked(true);
            form.getInputByName("option.limit").setValue("compose-x86-02");
            form.getInputsByName("option.tags").stream()
                    .filter(i -> i.getValueAttribute().equals("sync")
                            || i.getValueAttribute().equals("create"))
                    .forEach(i -> ((HtmlCheckBoxInput) i).setChecked(true));
            ((HtmlSelect) page.getElementById("o-verbosity")).setSelectedAttribute("2", true);
            HtmlPage runPage = ((HtmlButton) page.getElementById("run")).click();

            assertThat(runPage.getElementById("dry-run"))
                    .as(runPage.asNormalizedText())
                    .isNotNull();
            String path = runPage.getUrl().getPath();
            JsonNode run = engine.read(engine.getWithToken("/api/runs?workflow=launch-knobs&limit=1")
                            .body())
                    .path("runs")
                    .get(0);
            assertThat(path).isEqualTo("/job/launch-knobs/" + run.path("number").asText() + "/");
            assertThat(run.path("options").toString())
                    .isEqualTo(
                            "{\"check\":true,\"diff\":false,\"limit\":\"compose-x86-02\",\"tags\":[\"create\",\"sync\"],"
                                    + "\"skipTags\":[],\"verbosity\":2}");
            engine.awaitFinal(run.path("id").asLong());
            assertThat(markerFiles()).isEmpty();

            HtmlPage again = browser.getPage(engine.base("/job/launch-knobs/"));
            HtmlForm bad = (HtmlForm) again.getElementById("run-form");
            bad.getInputByName("marker_dir").setValue(markers.toString());
            bad.getInputByName("option.limit").setValue("@/etc/passwd");
            HtmlPage refused = ((HtmlButton) again.getElementById("run")).click();
            assertThat(refused.getWebResponse().getStatusCode()).isEqualTo(400);
            assertThat(refused.getElementById("error-options.limit").asNormalizedText())
                    .contains("must not start with @");
            assertThat(((HtmlForm) refused.getElementById("run-form"))
                            .getInputByName("option.limit")
                            .getValueAttribute())
                    .isEqualTo("@/etc/passwd");
        }
    }

    @Test
    void aVaultedVariableFileIsDecryptedWithThePasswordGivenOnlyAsAPrivateFile() throws Exception {
        HttpResponse<String> r = engine.post(
                "/api/workflows/vault-reader/runs",
                "{\"parameters\":{\"vault_password_file\":\"" + passwordFile + "\"}}",
                TestEngine.TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode run = engine.awaitFinal(engine.read(r.body()).path("id").asLong());
        String log = log(run);

        assertSucceeded(run, log);
        assertThat(log)
                .contains("vaulted token has " + VAULTED_TOKEN.length() + " characters and starts with tok-")
                .containsPattern("--vault-id releng@\\S+/vault/releng ")
                .doesNotContain(passwordFile.toString() + " ")
                .doesNotContain(VAULT_PASSWORD)
                .as("a playbook printing the password shows the mask")
                .contains("password is ********");
        assertThat(run.toString()).doesNotContain(VAULT_PASSWORD);
        try (Stream<Path> left = Files.walk(home.resolve("data").resolve("runs"))) {
            assertThat(left.filter(p -> p.toString().contains("vault")).toList())
                    .as("the private copy is gone with the run")
                    .isEmpty();
        }
    }

    List<String> markerFiles() throws java.io.IOException {
        try (Stream<Path> files = Files.list(markers)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    static WebClient browser() {
        WebClient browser = new WebClient();
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.getOptions().setJavaScriptEnabled(false);
        browser.getOptions().setCssEnabled(false);
        return browser;
    }

    static void logIn(WebClient browser) throws Exception {
        HtmlPage login = browser.getPage(engine.base("/login?next=/whoami"));
        HtmlForm form = (HtmlForm) login.getElementById("local-login");
        form.getInputByName("username").setValue("breakglass");
        form.getInputByName("password").setValue("correct horse");
        HtmlPage whoami = ((HtmlButton) login.getElementById("local-login-submit")).click();
        assertThat(whoami.getElementById("user").asNormalizedText()).isEqualTo("breakglass");
    }
}
