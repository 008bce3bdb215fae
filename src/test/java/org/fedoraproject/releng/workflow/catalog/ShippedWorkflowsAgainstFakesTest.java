package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.BODHI_QA_TOKEN;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.BODHI_RELENG_TOKEN;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.KOJI_PASSWORD;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.KOJI_USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractIntegerAssert;
import org.fedoraproject.releng.workflow.testsupport.BareAnsiblePlaybook;
import org.fedoraproject.releng.workflow.testsupport.BareAnsiblePlaybook.Result;
import org.fedoraproject.releng.workflow.testsupport.ReleaseFakes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every shipped workflow playbook with bare ansible-playbook against the Koji, Bodhi and
 * pungi-koji stand-ins, once on its success path and once on a failure path, and checks what the
 * run left behind in the fakes. The parameters are the ones a workflow definition declares.
 */
class ShippedWorkflowsAgainstFakesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReleaseFakes fakes;

    @TempDir
    Path composeRoot;

    @BeforeEach
    void startFakes() {
        fakes = ReleaseFakes.start();
    }

    @AfterEach
    void stopFakes() {
        fakes.close();
    }

    // ----- compose-nightly ---------------------------------------------------------------------

    @Test
    void composeNightlyLeavesAFinishedNightlyCompose() throws IOException {
        Result run = run("playbooks/compose.yml", composeVars("ok", "nightly", ""));

        assertSucceeded(run);
        Path compose = composeRoot.resolve("latest-Fedora-Rawhide").toRealPath();
        assertThat(compose.getFileName().toString()).matches("Fedora-Rawhide-\\d{8}\\.n\\.0");
        assertThat(Files.readString(compose.resolve("STATUS")).trim()).isEqualTo("FINISHED");
        JsonNode info = JSON.readTree(compose.resolve("compose/metadata/composeinfo.json").toFile());
        assertThat(info.at("/payload/compose/type").asText()).isEqualTo("nightly");
        assertThat(run.output()).contains("Compose " + compose.getFileName() + " is FINISHED");
    }

    @Test
    void composeWithALabelRecordsItInComposeinfo() throws IOException {
        Result run = run("playbooks/compose.yml", composeVars("ok", "production", "RC-1.2"));

        assertSucceeded(run);
        Path compose = composeRoot.resolve("latest-Fedora-Rawhide").toRealPath();
        JsonNode info = JSON.readTree(compose.resolve("compose/metadata/composeinfo.json").toFile());
        assertThat(info.at("/payload/compose/label").asText()).isEqualTo("RC-1.2");
    }

    @Test
    void composeNightlyFailsWhenPungiDoomsTheCompose() throws IOException {
        Result run = run("playbooks/compose.yml", composeVars("doomed", "nightly", ""));

        assertFailed(run);
        try (var composes = Files.list(composeRoot)) {
            Path compose = composes.findFirst().orElseThrow();
            assertThat(Files.readString(compose.resolve("STATUS")).trim()).isEqualTo("DOOMED");
        }
        assertThat(composeRoot.resolve("latest-Fedora-Rawhide")).doesNotExist();
        assertThat(run.output()).contains("is DOOMED");
    }

    // ----- compose-status ----------------------------------------------------------------------

    @Test
    void composeStatusPassesForAFinishedCompose() throws IOException {
        Path compose = fakeCompose("Fedora-Rawhide-20261124.n.0", "FINISHED");

        Result run = run("playbooks/compose-status.yml", Map.of("compose_path", compose.toString()));

        assertSucceeded(run);
        assertThat(run.output()).contains("Compose Fedora-Rawhide-20261124.n.0 is FINISHED");
    }

    @Test
    void composeStatusFailsForADoomedCompose() throws IOException {
        Path compose = fakeCompose("Fedora-Rawhide-20261124.n.1", "DOOMED");

        Result run = run("playbooks/compose-status.yml", Map.of("compose_path", compose.toString()));

        assertFailed(run);
        assertThat(run.output()).contains("Fedora-Rawhide-20261124.n.1 is DOOMED");
    }

    // ----- push-updates ------------------------------------------------------------------------

    @Test
    void pushUpdatesMovesStableRequestsToStable() {
        Result run = run("playbooks/push-updates.yml", pushVars("F42", "stable", false));

        assertSucceeded(run);
        JsonNode update = fakes.bodhiState().at("/updates/FEDORA-2026-1a2b3c4d5e");
        assertThat(update.path("status").asText()).isEqualTo("stable");
        assertThat(update.path("request").isNull()).isTrue();
        assertThat(fakes.bodhiState().at("/updates/FEDORA-2026-2b3c4d5e6f/status").asText())
                .as("an update requesting testing is not part of a stable push").isEqualTo("pending");
    }

    @Test
    void pushUpdatesDryRunStartsNoCompose() {
        Result run = run("playbooks/push-updates.yml", pushVars("F42", "stable", true));

        assertSucceeded(run);
        assertThat(run.output()).contains("dry run: would push 1 update(s)", "FEDORA-2026-1a2b3c4d5e");
        assertThat(fakes.bodhiState().at("/updates/FEDORA-2026-1a2b3c4d5e/status").asText()).isEqualTo("testing");
        assertThat(fakes.bodhiState().path("requests").toString()).doesNotContain("POST /composes");
    }

    @Test
    void pushUpdatesFailsWhenTheComposeFails() {
        Result run = run("playbooks/push-updates.yml", pushVars("F41", "testing", false));

        assertFailed(run);
        assertThat(run.output()).contains("Bodhi compose F41 testing failed");
        assertThat(fakes.bodhiState().at("/updates/FEDORA-2026-4d5e6f7081/status").asText()).isEqualTo("pending");
        assertThat(fakes.bodhiState().at("/composes/0/state").asText()).isEqualTo("failed");
    }

    // ----- branch-release ----------------------------------------------------------------------

    @Test
    void branchReleaseCreatesTagsInheritanceAndTargetsAndIsIdempotent() {
        Result first = run("playbooks/branch-release.yml", branchVars(43, KOJI_PASSWORD));
        Result second = run("playbooks/branch-release.yml", branchVars(43, KOJI_PASSWORD));

        assertSucceeded(first);
        assertSucceeded(second);
        assertThat(second.output()).containsPattern("localhost\\s*: ok=\\d+\\s+changed=0 ");
        JsonNode koji = fakes.kojiState();
        assertThat(koji.path("tags").has("f43-updates-testing")).isTrue();
        assertThat(koji.at("/tags/f43-build/parents/0/name").asText()).isEqualTo("f43-override");
        assertThat(koji.at("/tags/f43-build/arches").asText()).isEqualTo("x86_64 aarch64");
        assertThat(koji.at("/tags/f43-build/extra/rpm.macro.fedora").asText()).isEqualTo("43");
        assertThat(koji.at("/tags/f43-updates-candidate/parents/0/name").asText()).isEqualTo("f43-updates");
        assertThat(koji.at("/targets/f43/build_tag_name").asText()).isEqualTo("f43-build");
        assertThat(koji.at("/targets/f43-candidate/dest_tag_name").asText()).isEqualTo("f43-updates-candidate");
    }

    @Test
    void branchReleaseWithAWrongPasswordCreatesNothing() {
        Result run = run("playbooks/branch-release.yml", branchVars(43, "not-the-password"));

        assertFailed(run);
        assertThat(run.output()).contains("invalid username or password").doesNotContain("not-the-password");
        assertThat(fakes.kojiState().path("tags").has("f43")).isFalse();
    }

    // ----- tag-builds --------------------------------------------------------------------------

    @Test
    void tagBuildsTagsBuildsIntoTheTag() {
        Result run = run("playbooks/tag-builds.yml",
                tagVars("f42-updates", "tag", "bash-5.2.37-1.fc42\nkernel-6.17.8-300.fc42\n"));

        assertSucceeded(run);
        assertThat(taggedIn("f42-updates")).contains("bash-5.2.37-1.fc42", "kernel-6.17.8-300.fc42");
    }

    @Test
    void tagBuildsUntagsBuildsFromTheTag() {
        Result run = run("playbooks/tag-builds.yml", tagVars("f42-updates", "untag", "glibc-2.41-11.fc42"));

        assertSucceeded(run);
        assertThat(taggedIn("f42-updates")).doesNotContain("glibc-2.41-11.fc42");
        assertThat(taggedIn("f42-updates-candidate")).contains("glibc-2.41-11.fc42");
    }

    @Test
    void tagBuildsRejectsAnUnknownBuildBeforeTaggingAny() {
        Result run = run("playbooks/tag-builds.yml", tagVars("f42", "tag", "bash-5.2.37-1.fc42\nnope-1.0-1.fc42"));

        assertFailed(run);
        assertThat(run.output()).contains("No such build: 'nope-1.0-1.fc42'");
        assertThat(taggedIn("f42")).isEmpty();
    }

    // ----- create-bodhi-release ----------------------------------------------------------------

    @Test
    void createBodhiReleaseCreatesFedoraNWithItsKojiTags() {
        Result run = run("playbooks/bodhi-release.yml", bodhiReleaseVars(43, BODHI_RELENG_TOKEN));

        assertSucceeded(run);
        JsonNode release = fakes.bodhiState().at("/releases/F43");
        assertThat(release.path("long_name").asText()).isEqualTo("Fedora 43");
        assertThat(release.path("stable_tag").asText()).isEqualTo("f43-updates");
        assertThat(release.path("pending_signing_tag").asText()).isEqualTo("f43-signing-pending");
        assertThat(release.path("state").asText()).isEqualTo("pending");
    }

    @Test
    void createBodhiReleaseIsRefusedToANonRelengToken() {
        Result run = run("playbooks/bodhi-release.yml", bodhiReleaseVars(43, BODHI_QA_TOKEN));

        assertFailed(run);
        assertThat(run.output()).contains("403").doesNotContain(BODHI_QA_TOKEN);
        assertThat(fakes.bodhiState().path("releases").has("F43")).isFalse();
    }

    // ----- signing-queue-status ----------------------------------------------------------------

    @Test
    void signingQueueStatusPassesWithinTheLimit() {
        Result run = run("playbooks/signing-queue-status.yml", signingVars(42, 5));

        assertSucceeded(run);
        assertThat(run.output()).contains("2 build(s) in f42-signing-pending", "gnome-shell-48.6-1.fc42");
    }

    @Test
    void signingQueueStatusFailsAboveTheLimit() {
        Result run = run("playbooks/signing-queue-status.yml", signingVars(42, 1));

        assertFailed(run);
        assertThat(run.output()).contains("2 builds wait in f42-signing-pending, more than the allowed 1");
    }

    // ----- test-day-prep -----------------------------------------------------------------------

    @Test
    void testDayPrepCommentsOnceOnTheMatchingUpdates() {
        Result first = run("playbooks/test-day.yml", testDayVars("kernel\nglibc"));
        Result second = run("playbooks/test-day.yml", testDayVars("kernel\nglibc"));

        assertSucceeded(first);
        assertSucceeded(second);
        JsonNode comments = fakes.bodhiState().at("/updates/FEDORA-2026-3c4d5e6f70/comments");
        assertThat(comments).hasSize(1);
        assertThat(comments.get(0).path("text").asText()).contains("Kernel 6.17 test day on 2026-12-01");
        assertThat(comments.get(0).at("/user/name").asText()).isEqualTo("qa-bot");
        assertThat(fakes.bodhiState().at("/updates/FEDORA-2026-1a2b3c4d5e/comments")).isEmpty();
    }

    @Test
    void testDayPrepFailsWhenNoUpdateIsInTesting() {
        Result run = run("playbooks/test-day.yml", testDayVars("emacs"));

        assertFailed(run);
        assertThat(run.output()).contains("nothing to test");
    }

    // ----- secrets -----------------------------------------------------------------------------

    @Test
    void credentialsStayOutOfEvenVerboseOutput() {
        Result koji = BareAnsiblePlaybook.run("playbooks/tag-builds.yml",
                tagVars("f42-updates", "tag", "bash-5.2.37-1.fc42"), "-vvv");
        Result bodhi = BareAnsiblePlaybook.run("playbooks/test-day.yml", testDayVars("kernel"), "-vvv");

        assertSucceeded(koji);
        assertSucceeded(bodhi);
        assertThat(koji.output()).contains("koji_password").doesNotContain(KOJI_PASSWORD);
        assertThat(bodhi.output()).contains("bodhi_token").doesNotContain(BODHI_QA_TOKEN);
    }

    // ----- helpers -----------------------------------------------------------------------------

    private Result run(String playbook, Map<String, ?> vars) {
        return BareAnsiblePlaybook.run(playbook, vars);
    }

    private static void assertSucceeded(Result run) {
        exitCode(run).isZero();
    }

    private static void assertFailed(Result run) {
        exitCode(run).isNotZero();
        assertThat(run.output()).containsPattern("failed=[1-9]");
    }

    private static AbstractIntegerAssert<?> exitCode(Result run) {
        return assertThat(run.exitCode()).as("ansible-playbook exit status; output:%n%s", run.output());
    }

    private List<String> taggedIn(String tag) {
        List<String> nvrs = new ArrayList<>();
        fakes.kojiState().at("/tagged/" + tag).forEach(nvr -> nvrs.add(nvr.asText()));
        return nvrs;
    }

    private Path fakeCompose(String id, String status) throws IOException {
        Path compose = Files.createDirectories(composeRoot.resolve(id));
        Files.writeString(compose.resolve("COMPOSE_ID"), id);
        Files.writeString(compose.resolve("STATUS"), status + "\n");
        return compose;
    }

    private Map<String, Object> composeVars(String configDir, String type, String label) {
        Map<String, Object> vars = runMetadata();
        vars.putAll(Map.of(
                "config", "fedora.conf",
                "compose_type", type,
                "label", label,
                "config_dir", fakes.pungiConfigDir(configDir).toString(),
                "target_dir", composeRoot.toString(),
                "pungi_koji", fakes.pungiKoji().toString()));
        return vars;
    }

    private Map<String, Object> pushVars(String release, String request, boolean dryRun) {
        return Map.of("release", release, "request", request, "dry_run", dryRun,
                "bodhi_url", fakes.bodhiUrl().toString(), "bodhi_token", BODHI_RELENG_TOKEN);
    }

    private Map<String, Object> branchVars(int version, String password) {
        return Map.of("version", version, "arches", List.of("x86_64", "aarch64"),
                "koji_url", fakes.kojiHubUrl().toString(), "koji_user", KOJI_USER, "koji_password", password);
    }

    private Map<String, Object> tagVars(String tag, String action, String builds) {
        return Map.of("tag", tag, "action", action, "builds", builds,
                "koji_url", fakes.kojiHubUrl().toString(), "koji_user", KOJI_USER, "koji_password", KOJI_PASSWORD);
    }

    private Map<String, Object> bodhiReleaseVars(int version, String token) {
        return Map.of("version", version, "state", "pending",
                "bodhi_url", fakes.bodhiUrl().toString(), "bodhi_token", token);
    }

    private Map<String, Object> signingVars(int version, int maxPending) {
        return Map.of("version", version, "max_pending", maxPending, "koji_url", fakes.kojiHubUrl().toString());
    }

    private Map<String, Object> testDayVars(String packages) {
        Map<String, Object> vars = runMetadata();
        vars.putAll(Map.of("release", "F42", "packages", packages,
                "test_day_title", "Kernel 6.17", "test_day_date", "2026-12-01",
                "test_day_url", "https://fedoraproject.org/wiki/Test_Day:2026-12-01_Kernel_6.17",
                "bodhi_url", fakes.bodhiUrl().toString(), "bodhi_token", BODHI_QA_TOKEN));
        return vars;
    }

    /** What the engine adds to every run's extra vars. */
    private static Map<String, Object> runMetadata() {
        Map<String, Object> vars = new HashMap<>();
        vars.put("releng_run_id", "0b6c3a1e-run");
        vars.put("releng_run_number", 1);
        vars.put("releng_run_url", "http://localhost:8080/runs/1");
        vars.put("releng_cause", "manual");
        vars.put("releng_user", "tester");
        return vars;
    }
}
