package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.BODHI_QA_TOKEN;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.BODHI_RELENG_TOKEN;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.KOJI_PASSWORD;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.KOJI_USER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.log.SecretMasker;
import org.fedoraproject.releng.workflow.testsupport.FedoraLikeProvider;
import org.fedoraproject.releng.workflow.testsupport.HttpUser;
import org.fedoraproject.releng.workflow.testsupport.ReleaseFakes;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every shipped workflow end to end through the engine against the Koji, Bodhi and
 * pungi-koji stand-ins, once on its success path and once on a failure path: each case triggers
 * the workflow over the HTTP API with the parameters its definition declares, waits for the run's
 * final status and checks what the run left behind in the fakes.
 *
 * <p>One engine serves the whole class, on a temporary copy of {@code workflows/}; the fakes are
 * started afresh for each test (they start in well under a second), so no test sees another's
 * changes.
 */
class ShippedWorkflowsAgainstFakesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parameters declared {@code type: secret} in the shipped definitions that these tests pass. */
    private static final Set<String> SECRET_PARAMETERS = Set.of("koji_password", "bodhi_token");

    private static final String MASK = "****";
    /** The mask as the log shows it: alone, not part of Ansible's {@code TASK [...] *****} banners. */
    private static final Pattern MASKED = Pattern.compile("(?<!\\*)" + Pattern.quote(SecretMasker.MASK) + "(?!\\*)");

    @TempDir
    static Path home;

    /** Workflows whose runs a second member of releng must approve ("a second person checks"). */
    private static final Set<String> APPROVED_BY_A_SECOND_PERSON = Set.of("bodhi-activation", "end-of-life");

    private static FedoraLikeProvider provider;
    private static TestEngine engine;
    /** A member of releng other than the releng-bot service account that starts every run here. */
    private static HttpUser rita;

    private ReleaseFakes fakes;

    @TempDir
    Path composeRoot;

    @TempDir
    Path stageRoot;

    @BeforeAll
    static void startEngine() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(shippedWorkflows(), catalog);
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        // the shipped compose-nightly is scheduled: it must not start a compose of its own mid-test
        engine = TestEngine.startWith(
                home,
                catalog,
                "schedules: {enabled: false}\n",
                "oidc: " + provider.oidcYaml() + "\n",
                Map.of(FedoraLikeProvider.SECRET_ENV, FedoraLikeProvider.SECRET),
                Clock.systemUTC());
        rita = HttpUser.logIn(engine, provider, "rita", "releng");
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @BeforeEach
    void startFakes() {
        fakes = ReleaseFakes.start();
    }

    @AfterEach
    void stopFakes() {
        fakes.close();
    }

    // ----- the catalog as shipped --------------------------------------------------------------

    @Test
    void engineListsEveryShippedWorkflowAndNoneIsBroken() throws IOException {
        List<String> shipped;
        try (Stream<Path> files = Files.list(shippedWorkflows())) {
            shipped = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList();
        }
        var response = engine.getWithToken("/api/workflows");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode workflows = engine.read(response.body()).path("workflows");
        List<String> listed = new ArrayList<>();
        for (JsonNode w : workflows) {
            listed.add(w.path("id").asText());
            assertThat(w.path("broken").asBoolean())
                    .as("%s is broken: %s", w.path("id").asText(), w.path("errors"))
                    .isFalse();
        }
        assertThat(listed)
                .containsExactlyInAnyOrderElementsOf(shipped)
                .contains(
                        "compose-nightly",
                        "compose-status",
                        "push-updates",
                        "branch-release",
                        "tag-builds",
                        "create-bodhi-release",
                        "signing-queue-status",
                        "test-day-prep",
                        "bodhi-activation",
                        "end-of-life",
                        "block-retired",
                        "sidetag-cleanup",
                        "stage-compose",
                        "announce-qa",
                        "beta-candidate",
                        "hello");
    }

    // ----- compose-nightly ---------------------------------------------------------------------

    @Test
    void composeNightlyLeavesAFinishedNightlyCompose() throws IOException {
        Finished run = run("compose-nightly", composeParameters("ok", "nightly", null));

        assertSucceeded(run);
        Path compose = composeRoot.resolve("latest-Fedora-Rawhide").toRealPath();
        assertThat(compose.getFileName().toString()).matches("Fedora-Rawhide-\\d{8}\\.n\\.0");
        assertThat(Files.readString(compose.resolve("STATUS")).trim()).isEqualTo("FINISHED");
        JsonNode info = JSON.readTree(
                compose.resolve("compose/metadata/composeinfo.json").toFile());
        assertThat(info.at("/payload/compose/type").asText()).isEqualTo("nightly");
        assertThat(run.log()).contains("Compose " + compose.getFileName() + " is FINISHED");
        // what openQA picks the compose up by
        JsonNode outputs = run.json().path("outputs");
        assertThat(outputs.path("compose_id").asText())
                .isEqualTo(compose.getFileName().toString());
        assertThat(outputs.path("compose_path").asText()).isEqualTo(compose.toString());
        assertThat(outputs.path("compose_url").asText())
                .isEqualTo("https://kojipkgs.fedoraproject.org/compose/rawhide/" + compose.getFileName());
        assertThat(outputs.path("compose_label").asText()).isEmpty();
        assertThat(outputs.path("compose_status").asText()).isEqualTo("FINISHED");
        // the run metadata the engine adds reached the playbook
        assertThat(run.log())
                .contains("releng-workflow run #" + run.json().path("number").asLong() + " "
                        + run.json().path("url").asText() + " by releng-bot, cause: api");
    }

    @Test
    void composeWithALabelRecordsItInComposeinfo() throws IOException {
        Finished run = run("compose-nightly", composeParameters("ok", "production", "RC-1.2"));

        assertSucceeded(run);
        Path compose = composeRoot.resolve("latest-Fedora-Rawhide").toRealPath();
        JsonNode info = JSON.readTree(
                compose.resolve("compose/metadata/composeinfo.json").toFile());
        assertThat(info.at("/payload/compose/label").asText()).isEqualTo("RC-1.2");
        assertThat(run.json().at("/outputs/compose_label").asText()).isEqualTo("RC-1.2");
    }

    @Test
    void composeNightlyFailsWhenPungiDoomsTheCompose() throws IOException {
        Finished run = run("compose-nightly", composeParameters("doomed", "nightly", null));

        assertFailed(run);
        try (var composes = Files.list(composeRoot)) {
            Path compose = composes.findFirst().orElseThrow();
            assertThat(Files.readString(compose.resolve("STATUS")).trim()).isEqualTo("DOOMED");
        }
        assertThat(composeRoot.resolve("latest-Fedora-Rawhide")).doesNotExist();
        assertThat(run.log()).contains("is DOOMED");
        assertThat(run.json().at("/outputs/compose_status").asText()).isEqualTo("DOOMED");
    }

    // ----- compose-status ----------------------------------------------------------------------

    @Test
    void composeStatusPassesForAFinishedCompose() throws IOException {
        Path compose = fakeCompose("Fedora-Rawhide-20261124.n.0", "FINISHED");

        Finished run = run("compose-status", Map.of("compose_path", compose.toString()));

        assertSucceeded(run);
        assertThat(run.log()).contains("Compose Fedora-Rawhide-20261124.n.0 is FINISHED");
    }

    @Test
    void composeStatusFailsForADoomedCompose() throws IOException {
        Path compose = fakeCompose("Fedora-Rawhide-20261124.n.1", "DOOMED");

        Finished run = run("compose-status", Map.of("compose_path", compose.toString()));

        assertFailed(run);
        assertThat(run.log()).contains("Fedora-Rawhide-20261124.n.1 is DOOMED");
    }

    // ----- push-updates ------------------------------------------------------------------------

    @Test
    void pushUpdatesMovesStableRequestsToStable() {
        Finished run = run("push-updates", pushParameters("F42", "stable", false));

        assertSucceeded(run);
        JsonNode update = fakes.bodhiState().at("/updates/FEDORA-2026-1a2b3c4d5e");
        assertThat(update.path("status").asText()).isEqualTo("stable");
        assertThat(update.path("request").isNull()).isTrue();
        assertThat(run.json().at("/outputs/pushed_updates").toString()).contains("FEDORA-2026-1a2b3c4d5e");
        assertThat(run.json().at("/outputs/request").asText()).isEqualTo("stable");
        assertThat(fakes.bodhiState()
                        .at("/updates/FEDORA-2026-2b3c4d5e6f/status")
                        .asText())
                .as("an update requesting testing is not part of a stable push")
                .isEqualTo("pending");
    }

    @Test
    void pushUpdatesDryRunStartsNoCompose() {
        Finished run = run("push-updates", pushParameters("F42", "stable", true));

        assertSucceeded(run);
        assertThat(run.log()).contains("dry run: would push 1 update(s)", "FEDORA-2026-1a2b3c4d5e");
        assertThat(fakes.bodhiState()
                        .at("/updates/FEDORA-2026-1a2b3c4d5e/status")
                        .asText())
                .isEqualTo("testing");
        assertThat(fakes.bodhiState().path("requests").toString()).doesNotContain("POST /composes");
    }

    @Test
    void pushUpdatesFailsWhenTheComposeFails() {
        Finished run = run("push-updates", pushParameters("F41", "testing", false));

        assertFailed(run);
        assertThat(run.log()).contains("Bodhi compose F41 testing failed");
        assertThat(fakes.bodhiState()
                        .at("/updates/FEDORA-2026-4d5e6f7081/status")
                        .asText())
                .isEqualTo("pending");
        assertThat(fakes.bodhiState().at("/composes/0/state").asText()).isEqualTo("failed");
    }

    // ----- branch-release ----------------------------------------------------------------------

    @Test
    void branchReleaseCreatesTagsInheritanceAndTargetsAndIsIdempotent() {
        Finished first = run("branch-release", branchParameters(43, KOJI_PASSWORD));
        Finished second = run("branch-release", branchParameters(43, KOJI_PASSWORD));

        assertSucceeded(first);
        assertSucceeded(second);
        assertThat(second.log()).containsPattern("localhost\\s*: ok=\\d+\\s+changed=0 ");
        JsonNode koji = fakes.kojiState();
        assertThat(koji.path("tags").has("f43-updates-testing")).isTrue();
        assertThat(koji.at("/tags/f43-build/parents/0/name").asText()).isEqualTo("f43-override");
        assertThat(koji.at("/tags/f43-build/arches").asText()).isEqualTo("x86_64 aarch64");
        assertThat(koji.at("/tags/f43-build/extra/rpm.macro.fedora").asText()).isEqualTo("43");
        assertThat(koji.at("/tags/f43-updates-candidate/parents/0/name").asText())
                .isEqualTo("f43-updates");
        assertThat(koji.at("/targets/f43/build_tag_name").asText()).isEqualTo("f43-build");
        assertThat(koji.at("/targets/f43-candidate/dest_tag_name").asText()).isEqualTo("f43-updates-candidate");
        assertThat(first.json().at("/outputs/branched_release").asText()).isEqualTo("43");
        assertThat(first.json().at("/outputs/koji_tags").toString()).contains("f43-updates-testing");
    }

    @Test
    void branchReleaseWithAWrongPasswordCreatesNothing() {
        Finished run = run("branch-release", branchParameters(43, "not-the-password"));

        assertFailed(run);
        assertThat(run.log()).contains("invalid username or password").doesNotContain("not-the-password");
        assertThat(fakes.kojiState().path("tags").has("f43")).isFalse();
    }

    // ----- tag-builds --------------------------------------------------------------------------

    @Test
    void tagBuildsTagsBuildsIntoTheTag() {
        Finished run =
                run("tag-builds", tagParameters("f42-updates", "tag", "bash-5.2.37-1.fc42\nkernel-6.17.8-300.fc42\n"));

        assertSucceeded(run);
        assertThat(taggedIn("f42-updates")).contains("bash-5.2.37-1.fc42", "kernel-6.17.8-300.fc42");
        assertThat(run.json().at("/outputs/koji_tag").asText()).isEqualTo("f42-updates");
        assertThat(run.json().at("/outputs/action").asText()).isEqualTo("tag");
    }

    @Test
    void tagBuildsUntagsBuildsFromTheTag() {
        Finished run = run("tag-builds", tagParameters("f42-updates", "untag", "glibc-2.41-11.fc42"));

        assertSucceeded(run);
        assertThat(taggedIn("f42-updates")).doesNotContain("glibc-2.41-11.fc42");
        assertThat(taggedIn("f42-updates-candidate")).contains("glibc-2.41-11.fc42");
    }

    @Test
    void tagBuildsRejectsAnUnknownBuildBeforeTaggingAny() {
        Finished run = run("tag-builds", tagParameters("f42", "tag", "bash-5.2.37-1.fc42\nnope-1.0-1.fc42"));

        assertFailed(run);
        assertThat(run.log()).contains("No such build: 'nope-1.0-1.fc42'");
        assertThat(taggedIn("f42")).isEmpty();
    }

    // ----- create-bodhi-release ----------------------------------------------------------------

    @Test
    void createBodhiReleaseCreatesFedoraNWithItsKojiTags() {
        Finished run = run("create-bodhi-release", bodhiReleaseParameters(43, BODHI_RELENG_TOKEN));

        assertSucceeded(run);
        JsonNode release = fakes.bodhiState().at("/releases/F43");
        assertThat(release.path("long_name").asText()).isEqualTo("Fedora 43");
        assertThat(release.path("stable_tag").asText()).isEqualTo("f43-updates");
        assertThat(release.path("pending_signing_tag").asText()).isEqualTo("f43-signing-pending");
        assertThat(release.path("state").asText()).isEqualTo("pending");
        assertThat(run.json().at("/outputs/bodhi_release").asText()).isEqualTo("F43");
    }

    @Test
    void createBodhiReleaseIsRefusedToANonRelengToken() {
        Finished run = run("create-bodhi-release", bodhiReleaseParameters(43, BODHI_QA_TOKEN));

        assertFailed(run);
        assertThat(run.log()).contains("403").doesNotContain(BODHI_QA_TOKEN);
        assertThat(fakes.bodhiState().path("releases").has("F43")).isFalse();
    }

    // ----- signing-queue-status ----------------------------------------------------------------

    @Test
    void signingQueueStatusPassesWithinTheLimit() {
        Finished run = run("signing-queue-status", signingParameters(42, 5));

        assertSucceeded(run);
        assertThat(run.log()).contains("2 build(s) in f42-signing-pending", "gnome-shell-48.6-1.fc42");
        assertThat(run.json().at("/outputs/queue_length").asInt()).isEqualTo(2);
    }

    @Test
    void signingQueueStatusFailsAboveTheLimit() {
        Finished run = run("signing-queue-status", signingParameters(42, 1));

        assertFailed(run);
        assertThat(run.log()).contains("2 builds wait in f42-signing-pending, more than the allowed 1");
    }

    // ----- test-day-prep -----------------------------------------------------------------------

    @Test
    void testDayPrepCommentsOnceOnTheMatchingUpdates() {
        Finished first = run("test-day-prep", testDayParameters("kernel\nglibc"));
        Finished second = run("test-day-prep", testDayParameters("kernel\nglibc"));

        assertSucceeded(first);
        assertSucceeded(second);
        JsonNode comments = fakes.bodhiState().at("/updates/FEDORA-2026-3c4d5e6f70/comments");
        assertThat(comments).hasSize(1);
        assertThat(first.json().at("/outputs/test_day_updates").toString()).contains("FEDORA-2026-3c4d5e6f70");
        assertThat(comments.get(0).path("text").asText()).contains("Kernel 6.17 test day on 2026-12-01");
        assertThat(comments.get(0).at("/user/name").asText()).isEqualTo("qa-bot");
        assertThat(fakes.bodhiState().at("/updates/FEDORA-2026-1a2b3c4d5e/comments"))
                .isEmpty();
    }

    @Test
    void testDayPrepFailsWhenNoUpdateIsInTesting() {
        Finished run = run("test-day-prep", testDayParameters("emacs"));

        assertFailed(run);
        assertThat(run.log()).contains("nothing to test");
    }

    // ----- bodhi-activation --------------------------------------------------------------------

    @Test
    void bodhiActivationMovesTheUpdatesTagsOntoFnUpdatesAndLetsBodhiCompose() {
        seedBranchedF44();

        Finished first = run("bodhi-activation", releaseParameters(44, BODHI_RELENG_TOKEN));
        Finished second = run("bodhi-activation", releaseParameters(44, BODHI_RELENG_TOKEN));

        assertSucceeded(first);
        assertSucceeded(second);
        assertThat(second.log()).containsPattern("localhost\\s*: ok=\\d+\\s+changed=0 ");
        JsonNode koji = fakes.kojiState();
        for (String child :
                List.of("f44-updates-candidate", "f44-updates-testing", "f44-updates-pending", "f44-override")) {
            assertThat(koji.at("/tags/" + child + "/parents").toString())
                    .as("parents of %s", child)
                    .isEqualTo("[{\"name\":\"f44-updates\",\"priority\":0}]");
        }
        assertThat(koji.at("/tags/f44/perm").asText()).isEqualTo("admin");
        assertThat(koji.at("/tags/f44-updates/parents/0/name").asText()).isEqualTo("f44");
        assertThat(koji.at("/tags/f44-build/parents/0/name").asText())
                .as("the buildroot is left as branching made it")
                .isEqualTo("f44-override");
        JsonNode release = fakes.bodhiState().at("/releases/F44");
        assertThat(release.path("composed_by_bodhi").asBoolean()).isTrue();
        assertThat(release.path("create_automatic_updates").asBoolean()).isFalse();
        assertThat(release.path("stable_tag").asText()).isEqualTo("f44-updates");
        assertThat(release.path("package_manager").asText()).isEqualTo("dnf");
        assertThat(release.path("testing_repository").asText()).isEqualTo("updates-testing");
        assertThat(release.path("state").asText()).isEqualTo("pending");
        assertThat(first.json().at("/outputs/bodhi_release").asText()).isEqualTo("F44");
        assertThat(first.json().at("/outputs/koji_changes").toString()).contains("inheritance of f44-override");
    }

    @Test
    void bodhiActivationOfAReleaseBodhiDoesNotKnowChangesNothing() {
        seedBranchedF44();
        JsonNode koji = fakes.kojiState();
        JsonNode bodhi = fakes.bodhiState();

        Finished run = run("bodhi-activation", releaseParameters(46, BODHI_RELENG_TOKEN));

        assertFailed(run);
        assertThat(run.log()).contains("Bodhi GET releases/F46 answered 404");
        assertKojiOnlyRead(koji);
        assertBodhiOnlyRead(bodhi);
    }

    @Test
    void bodhiActivationDryRunChangesNothing() {
        seedBranchedF44();
        JsonNode koji = fakes.kojiState();
        JsonNode bodhi = fakes.bodhiState();

        Finished run = run("bodhi-activation", releaseParameters(44, BODHI_RELENG_TOKEN), DRY_RUN);

        assertDryRun(run);
        assertThat(run.log())
                .containsPattern("localhost\\s*: ok=\\d+\\s+changed=[1-9]")
                .contains("edit F44: composed_by_bodhi, create_automatic_updates");
        assertKojiOnlyRead(koji);
        assertBodhiOnlyRead(bodhi);
    }

    // ----- end-of-life -------------------------------------------------------------------------

    @Test
    void endOfLifeRemovesTheTargetsAndArchivesTheRelease() {
        Finished run = run("end-of-life", releaseParameters(41, BODHI_RELENG_TOKEN));

        assertSucceeded(run);
        JsonNode koji = fakes.kojiState();
        assertThat(koji.path("targets").has("f41")).isFalse();
        assertThat(koji.path("targets").has("f41-candidate")).isFalse();
        assertThat(koji.path("tags").has("f41-updates"))
                .as("tags stay; only builds stop")
                .isTrue();
        assertThat(koji.path("targets").has("rawhide")).isTrue();
        assertThat(fakes.bodhiState().at("/releases/F41/state").asText()).isEqualTo("archived");
        assertThat(fakes.bodhiState().at("/releases/F42/state").asText()).isEqualTo("current");
        assertThat(run.json().at("/outputs/removed_targets").toString()).isEqualTo("[\"f41\",\"f41-candidate\"]");
    }

    @Test
    void endOfLifeOfAReleaseBodhiDoesNotKnowRemovesNoTarget() {
        JsonNode koji = fakes.kojiState();

        Finished run = run("end-of-life", releaseParameters(46, BODHI_RELENG_TOKEN));

        assertFailed(run);
        assertThat(run.log()).contains("Bodhi GET releases/F46 answered 404");
        assertKojiOnlyRead(koji);
    }

    @Test
    void endOfLifeDryRunChangesNothing() {
        JsonNode koji = fakes.kojiState();
        JsonNode bodhi = fakes.bodhiState();

        Finished run = run("end-of-life", releaseParameters(41, BODHI_RELENG_TOKEN), DRY_RUN);

        assertDryRun(run);
        assertThat(run.log()).contains("remove target f41-candidate").contains("edit F41: state");
        assertKojiOnlyRead(koji);
        assertBodhiOnlyRead(bodhi);
    }

    // ----- block-retired -----------------------------------------------------------------------

    @Test
    void blockRetiredBlocksWhatDistGitRetiredAndUntagsItsBuilds() {
        Finished first = run("block-retired", blockParameters(KOJI_PASSWORD));
        Finished second = run("block-retired", blockParameters(KOJI_PASSWORD));

        assertSucceeded(first);
        assertSucceeded(second);
        assertThat(second.log()).containsPattern("localhost\\s*: ok=\\d+\\s+changed=0 ");
        JsonNode packages = fakes.kojiState().at("/packages/f45");
        assertThat(packages.at("/python-nose/blocked").asBoolean()).isTrue();
        assertThat(packages.at("/pycrypto/blocked").asBoolean()).isTrue();
        assertThat(packages.at("/bash/blocked").asBoolean()).isFalse();
        assertThat(taggedIn("f45")).containsExactly("bash-5.3.0-1.fc45");
        assertThat(first.json().at("/outputs/blocked_packages").toString()).isEqualTo("[\"pycrypto\",\"python-nose\"]");
        assertThat(first.json().at("/outputs/untagged_builds").toString())
                .contains("python-nose-1.3.7-50.fc45", "pycrypto-2.6.1-60.fc45");
        assertThat(first.log()).contains("python-nose is retired on rawhide: Retired: unmaintained upstream");
        assertThat(fakes.distGitState().path("requests").toString())
                .as("dist-git was asked about the tag's unblocked packages only")
                .contains("GET /rpms/bash/raw/rawhide/f/dead.package")
                .doesNotContain("python-oldstuff", "never-in-koji");
    }

    /** As a scheduled run does: no password parameter, the password read from a file on the host. */
    @Test
    void blockRetiredReadsThePasswordFromAFileWhenNoneIsGiven() throws IOException {
        Path passwordFile = Files.writeString(composeRoot.resolve("koji-password"), KOJI_PASSWORD + "\n");
        Map<String, Object> parameters = new HashMap<>(blockParameters(KOJI_PASSWORD));
        parameters.remove("koji_password");
        parameters.put("koji_password_file", passwordFile.toString());

        Finished run = run("block-retired", parameters);

        assertSucceeded(run);
        assertThat(run.log()).doesNotContain(KOJI_PASSWORD);
        assertThat(fakes.kojiState().at("/packages/f45/python-nose/blocked").asBoolean())
                .isTrue();
    }

    @Test
    void blockRetiredWithAWrongPasswordBlocksNothing() {
        JsonNode before = fakes.kojiState();

        Finished run = run("block-retired", blockParameters("not-the-password"));

        assertFailed(run);
        assertThat(run.log()).contains("invalid username or password");
        assertKojiOnlyRead(before);
    }

    @Test
    void blockRetiredDryRunBlocksNothing() {
        JsonNode before = fakes.kojiState();

        Finished run = run("block-retired", blockParameters(KOJI_PASSWORD), DRY_RUN);

        assertDryRun(run);
        assertThat(run.log()).contains("would block ['pycrypto', 'python-nose']");
        assertKojiOnlyRead(before);
    }

    // ----- sidetag-cleanup ---------------------------------------------------------------------

    @Test
    void sidetagCleanupRemovesOldEmptyAndIdleSideTagsOnly() {
        Finished run = run("sidetag-cleanup", sidetagParameters(KOJI_USER, KOJI_PASSWORD));

        assertSucceeded(run);
        JsonNode koji = fakes.kojiState();
        assertThat(koji.path("tags").has("f42-build-side-1001"))
                .as("40 days old")
                .isFalse();
        assertThat(koji.path("tags").has("f42-build-side-1002"))
                .as("empty for 20 days")
                .isFalse();
        assertThat(koji.path("tags").has("f42-build-side-1003"))
                .as("idle for 22 days")
                .isFalse();
        assertThat(koji.path("targets").has("f42-build-side-1003")).isFalse();
        assertThat(koji.path("tags").has("f42-build-side-1004"))
                .as("tagged into 2 days ago")
                .isTrue();
        assertThat(koji.path("tags").has("f42-build-side-1005"))
                .as("3 days old")
                .isTrue();
        assertThat(koji.path("tags").has("f42-build")).isTrue();
        assertThat(run.json().at("/outputs/removed_sidetags").toString())
                .isEqualTo("[\"f42-build-side-1001\",\"f42-build-side-1002\",\"f42-build-side-1003\"]");
        assertThat(run.log()).contains("f42-build-side-1003 of packager: no tagging for more than 21 days (22)");
    }

    @Test
    void sidetagCleanupAsAnotherUserFailsOnTheFirstSideTagNotTheirs() {
        JsonNode before = fakes.kojiState();

        Finished run = run("sidetag-cleanup", sidetagParameters("packager", "packager-password"));

        assertFailed(run);
        assertThat(run.log()).contains("This is not your sidetag");
        assertThat(withoutCalls(fakes.kojiState())).isEqualTo(withoutCalls(before));
    }

    @Test
    void sidetagCleanupDryRunRemovesNothing() {
        JsonNode before = fakes.kojiState();

        Finished run = run("sidetag-cleanup", sidetagParameters(KOJI_USER, KOJI_PASSWORD), DRY_RUN);

        assertDryRun(run);
        assertThat(run.log()).contains("would remove f42-build-side-1001 of contributor: older than 30 days (40)");
        assertKojiOnlyRead(before);
    }

    // ----- stage-compose and announce-qa: the steps of a beta-candidate chain ----------------------

    @Test
    void stageComposeCopiesTheComposeThatComposeNightlyPublished() throws IOException {
        Finished compose = run("compose-nightly", composeParameters("ok", "production", "Beta-1.2"));
        assertSucceeded(compose);
        String composeId = compose.json().at("/outputs/compose_id").asText();

        Finished stage = run("stage-compose", stageParameters(composeId));

        assertSucceeded(stage);
        Path staged = stageRoot.resolve("Rawhide_Beta-1.2");
        assertThat(staged.resolve("metadata/composeinfo.json")).isRegularFile();
        assertThat(staged.resolve("Everything/x86_64/os")).isDirectory();
        JsonNode outputs = stage.json().path("outputs");
        assertThat(outputs.path("compose_id").asText()).isEqualTo(composeId);
        assertThat(outputs.path("stage_path").asText()).isEqualTo(staged.toString());
        assertThat(outputs.path("stage_url").asText())
                .isEqualTo("https://dl.fedoraproject.org/pub/alt/stage/Rawhide_Beta-1.2/");
    }

    @Test
    void stageComposeStagesNothingOfADoomedCompose() throws IOException {
        fakeCompose("Fedora-43-20261201.0", "DOOMED");

        Finished run = run("stage-compose", stageParameters("Fedora-43-20261201.0"));

        assertFailed(run);
        assertThat(run.log()).contains("Compose Fedora-43-20261201.0 is DOOMED");
        try (var staged = Files.list(stageRoot)) {
            assertThat(staged.toList()).isEmpty();
        }
    }

    @Test
    void stageComposeDryRunCopiesNothing() throws IOException {
        Finished compose = run("compose-nightly", composeParameters("ok", "nightly", null));
        assertSucceeded(compose);

        Finished run = run(
                "stage-compose",
                stageParameters(compose.json().at("/outputs/compose_id").asText()),
                DRY_RUN);

        assertDryRun(run);
        try (var staged = Files.list(stageRoot)) {
            assertThat(staged.toList()).isEmpty();
        }
    }

    @Test
    void announceQaPublishesTheComposeForQaInTheRunOutputs() throws IOException {
        fakeCompose("Fedora-43-20261201.0", "FINISHED");
        Map<String, Object> parameters = new HashMap<>(announceParameters("Fedora-43-20261201.0"));
        parameters.put("location", "https://dl.fedoraproject.org/pub/alt/stage/43_Beta-1.2/");

        Finished run = run("announce-qa", parameters);

        assertSucceeded(run);
        JsonNode announcement = run.json().at("/outputs/announcement");
        assertThat(announcement.path("compose_id").asText()).isEqualTo("Fedora-43-20261201.0");
        assertThat(announcement.path("compose_status").asText()).isEqualTo("FINISHED");
        assertThat(announcement.path("ready").asBoolean()).isTrue();
        assertThat(announcement.path("location").asText())
                .isEqualTo("https://dl.fedoraproject.org/pub/alt/stage/43_Beta-1.2/");
        assertThat(announcement.path("subject").asText())
                .isEqualTo("Fedora-43-20261201.0 is FINISHED: ready for testing");
        assertThat(run.json().at("/outputs/compose_location").asText())
                .isEqualTo(announcement.path("location").asText());
    }

    @Test
    void announceQaSaysSoWhenTheComposeIsDoomed() throws IOException {
        fakeCompose("Fedora-43-20261201.1", "DOOMED");

        Finished run = run("announce-qa", announceParameters("Fedora-43-20261201.1"));

        assertSucceeded(run);
        JsonNode announcement = run.json().at("/outputs/announcement");
        assertThat(announcement.path("compose_status").asText()).isEqualTo("DOOMED");
        assertThat(announcement.path("ready").asBoolean()).isFalse();
        assertThat(announcement.path("location").asText())
                .isEqualTo("https://kojipkgs.fedoraproject.org/compose/rawhide/Fedora-43-20261201.1");
    }

    @Test
    void announceQaFailsForAComposeThatDoesNotExist() {
        Finished run = run("announce-qa", announceParameters("Fedora-43-20261201.9"));

        assertFailed(run);
        assertThat(run.log()).contains("Fedora-43-20261201.9/STATUS");
        assertThat(run.json().at("/outputs/announcement").isMissingNode()).isTrue();
    }

    // ----- secrets -----------------------------------------------------------------------------

    /**
     * Every run above already checks that its secrets show as {@value #MASK} and that the playbook
     * never printed them (the log needed no masking). This one does so with Ansible at -vvv, where
     * a task without no_log would print its arguments.
     */
    @Test
    void credentialsStayOutOfEvenVerboseOutput() {
        Finished koji = withAnsibleVerbosity(
                3, () -> run("tag-builds", tagParameters("f42-updates", "tag", "bash-5.2.37-1.fc42")));
        Finished bodhi = withAnsibleVerbosity(3, () -> run("test-day-prep", testDayParameters("kernel")));

        assertSucceeded(koji);
        assertSucceeded(bodhi);
        assertThat(koji.log()).contains("ESTABLISH LOCAL CONNECTION").contains("koji_password");
        assertThat(bodhi.log()).contains("ESTABLISH LOCAL CONNECTION").contains("bodhi_token");
    }

    // ----- helpers -----------------------------------------------------------------------------

    /** A finished run: its JSON from {@code GET /api/runs/{id}} and its whole log. */
    private record Finished(JsonNode json, String log) {
        String status() {
            return json.path("status").asText();
        }
    }

    /**
     * Triggers {@code workflow} over the API as the releng service account, has a second member of
     * releng approve it when its workflow asks for that (the service account that started it may
     * not), waits for its final status and checks that every secret it was given stays a secret: {@value #MASK} in the run,
     * absent from the log, and never printed by the playbook in the first place (nothing masked).
     */
    private Finished run(String workflow, Map<String, ?> parameters) {
        return run(workflow, parameters, null);
    }

    /** As {@link #run(String, Map)}, with launch options ({@code {"check":true}}) in the trigger body. */
    private Finished run(String workflow, Map<String, ?> parameters, String options) {
        JsonNode queued;
        if (options == null) {
            queued = engine.trigger(workflow, json(parameters));
        } else {
            var r = engine.post(
                    "/api/workflows/" + workflow + "/runs",
                    "{\"parameters\":" + json(parameters) + ",\"options\":" + options + "}",
                    TestEngine.TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            queued = engine.read(r.body());
        }
        long id = queued.path("id").asLong();
        approveAsASecondPerson(workflow, queued);
        JsonNode finished = engine.awaitFinal(id);
        String log = engine.log(id);
        for (Map.Entry<String, ?> p : parameters.entrySet()) {
            if (!SECRET_PARAMETERS.contains(p.getKey())) {
                continue;
            }
            String secret = p.getValue().toString();
            assertThat(queued.at("/parameters/" + p.getKey()).asText())
                    .as("%s when queued", p.getKey())
                    .isEqualTo(MASK);
            assertThat(finished.at("/parameters/" + p.getKey()).asText())
                    .as("%s when finished", p.getKey())
                    .isEqualTo(MASK);
            assertThat(finished.toString()).as("run JSON").doesNotContain(secret);
            assertThat(log)
                    .as("log of %s run %s", workflow, id)
                    .doesNotContain(secret)
                    .as("the engine had to mask a secret the playbook printed in run %s:%n%s", id, log)
                    .doesNotContainPattern(MASKED);
        }
        return new Finished(finished, log);
    }

    /**
     * Every run of a workflow in {@link #APPROVED_BY_A_SECOND_PERSON} waits for approval, even a
     * dry run; its starter is refused, and rita (releng, not the starter) approves it.
     */
    private static void approveAsASecondPerson(String workflow, JsonNode queued) {
        long id = queued.path("id").asLong();
        boolean needsApproval = APPROVED_BY_A_SECOND_PERSON.contains(workflow);
        assertThat(queued.path("status").asText().equals("waiting_approval"))
                .as("%s run %s waits for approval", workflow, id)
                .isEqualTo(needsApproval);
        if (!needsApproval) {
            return;
        }
        assertThat(engine.run(id).at("/approval/starter").asText()).isEqualTo("releng-bot");
        var own = engine.post("/api/runs/" + id + "/approve", "{\"comment\":\"mine\"}", TestEngine.TOKEN);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
        assertThat(own.body()).contains("never decided by its own starter");
        assertThat(engine.run(id).path("status").asText()).isEqualTo("waiting_approval");
        var approved = rita.post("/api/runs/" + id + "/approve", "{\"comment\":\"checked the release\"}", true);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode decisions = engine.run(id).at("/approval/decisions");
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).path("by").asText()).isEqualTo("rita");
    }

    // ----- dry runs: every workflow that changes Koji, Bodhi or composes, with --check -------------

    @Test
    void composeNightlyDryRunStartsNoCompose() throws IOException {
        Finished run = run("compose-nightly", composeParameters("ok", "nightly", null), DRY_RUN);

        assertDryRun(run);
        try (var composes = Files.list(composeRoot)) {
            assertThat(composes.toList()).as("no compose made").isEmpty();
        }
    }

    @Test
    void branchReleaseDryRunReportsTheChangesAndMakesNone() {
        JsonNode before = fakes.kojiState();
        Finished run = run("branch-release", branchParameters(43, KOJI_PASSWORD), DRY_RUN);

        assertDryRun(run);
        assertThat(run.log()).containsPattern("localhost\\s*: ok=\\d+\\s+changed=[1-9]");
        assertKojiOnlyRead(before);
        assertThat(fakes.kojiState().path("tags").has("f43")).isFalse();
    }

    @Test
    void tagBuildsDryRunTagsNothing() {
        JsonNode before = fakes.kojiState();
        Finished run = run("tag-builds", tagParameters("f42-updates", "tag", "bash-5.2.37-1.fc42\n"), DRY_RUN);

        assertDryRun(run);
        assertThat(run.log()).containsPattern("localhost\\s*: ok=\\d+\\s+changed=[1-9]");
        assertKojiOnlyRead(before);
    }

    @Test
    void bodhiWorkflowsDryRunChangeNothingInBodhi() {
        JsonNode before = fakes.bodhiState();
        assertDryRun(run("create-bodhi-release", bodhiReleaseParameters(43, BODHI_RELENG_TOKEN), DRY_RUN));
        assertDryRun(run("push-updates", pushParameters("F42", "stable", false), DRY_RUN));
        assertDryRun(run("test-day-prep", testDayParameters("kernel\nglibc"), DRY_RUN));

        JsonNode after = fakes.bodhiState();
        after.path("requests")
                .forEach(r -> assertThat(r.asText()).as("a dry run only reads").startsWith("GET "));
        assertThat(withoutCalls(after)).isEqualTo(withoutCalls(before));
    }

    /** Bodhi's state as before, and it was only asked questions (its fake logs every request). */
    private void assertBodhiOnlyRead(JsonNode before) {
        JsonNode after = fakes.bodhiState();
        after.path("requests").forEach(r -> {
            if (!r.asText().contains(" /_fake/")) {
                assertThat(r.asText()).as("only reads").startsWith("GET ");
            }
        });
        assertThat(withoutCalls(after)).isEqualTo(withoutCalls(before));
    }

    /** Fedora 44 as mass branching leaves it: the updates tags still inherit f44, Bodhi not active. */
    private void seedBranchedF44() {
        try {
            Path catalog = ReleaseFakes.projectDir().resolve("test-fixtures/catalog");
            fakes.seedKoji(Files.readString(catalog.resolve("branched-f44-koji.json")));
            fakes.seedBodhi(Files.readString(catalog.resolve("branched-f44-bodhi.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Koji's state as before, and the hub was only asked questions (its fake logs every call). */
    private void assertKojiOnlyRead(JsonNode before) {
        JsonNode after = fakes.kojiState();
        after.path("calls")
                .forEach(c -> assertThat(c.asText())
                        .as("a dry run only reads")
                        .matches("login|logout|getLoggedInUser|get.*|list.*|query.*"));
        assertThat(withoutCalls(after)).isEqualTo(withoutCalls(before));
    }

    private static JsonNode withoutCalls(JsonNode state) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = state.deepCopy();
        copy.remove(List.of("calls", "requests"));
        return copy;
    }

    private static final String DRY_RUN = "{\"check\":true}";

    private static void assertDryRun(Finished run) {
        assertSucceeded(run);
        assertThat(run.json().at("/options/check").asBoolean()).isTrue();
        assertThat(run.log()).contains(" --check ", "DRY RUN");
    }

    private static void assertSucceeded(Finished run) {
        assertThat(run.status())
                .as("status of run %s; log:%n%s", run.json().path("id"), run.log())
                .isEqualTo("succeeded");
        assertThat(run.json().path("exitCode").asInt()).isZero();
        assertThat(run.log()).contains("Finished: SUCCEEDED");
    }

    private static void assertFailed(Finished run) {
        assertThat(run.status())
                .as("status of run %s; log:%n%s", run.json().path("id"), run.log())
                .isEqualTo("failed");
        assertThat(run.json().path("exitCode").asInt()).isNotZero();
        assertThat(run.log()).containsPattern("failed=[1-9]").contains("Finished: FAILED");
    }

    /**
     * Runs {@code body} with {@code verbosity} set in the catalog copy's ansible.cfg (which the
     * engine's ansible-playbook reads from its working directory), then puts the file back.
     */
    private static Finished withAnsibleVerbosity(int verbosity, Supplier<Finished> body) {
        Path cfg = engine.catalogDir().resolve("ansible.cfg");
        try {
            String shipped = Files.readString(cfg);
            assertThat(shipped).contains("[defaults]\n").doesNotContain("verbosity");
            Files.writeString(cfg, shipped.replace("[defaults]\n", "[defaults]\nverbosity = " + verbosity + "\n"));
            try {
                return body.get();
            } finally {
                Files.writeString(cfg, shipped);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path shippedWorkflows() {
        return ReleaseFakes.projectDir().resolve("workflows");
    }

    private static String json(Map<String, ?> parameters) {
        try {
            return JSON.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
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

    /** {@code label} null leaves the optional parameter out, as a run without a label would. */
    private Map<String, Object> composeParameters(String configDir, String type, String label) {
        Map<String, Object> parameters = new HashMap<>(Map.of(
                "config", "fedora.conf",
                "compose_type", type,
                "config_dir", fakes.pungiConfigDir(configDir).toString(),
                "target_dir", composeRoot.toString(),
                "pungi_koji", fakes.pungiKoji().toString()));
        if (label != null) {
            parameters.put("label", label);
        }
        return parameters;
    }

    private Map<String, Object> pushParameters(String release, String request, boolean dryRun) {
        return Map.of(
                "release",
                release,
                "request",
                request,
                "dry_run",
                dryRun,
                "bodhi_url",
                fakes.bodhiUrl().toString(),
                "bodhi_token",
                BODHI_RELENG_TOKEN);
    }

    private Map<String, Object> branchParameters(int version, String password) {
        return Map.of(
                "version",
                version,
                "arches",
                List.of("x86_64", "aarch64"),
                "koji_url",
                fakes.kojiHubUrl().toString(),
                "koji_user",
                KOJI_USER,
                "koji_password",
                password);
    }

    private Map<String, Object> tagParameters(String tag, String action, String builds) {
        return Map.of(
                "tag",
                tag,
                "action",
                action,
                "builds",
                builds,
                "koji_url",
                fakes.kojiHubUrl().toString(),
                "koji_user",
                KOJI_USER,
                "koji_password",
                KOJI_PASSWORD);
    }

    private Map<String, Object> bodhiReleaseParameters(int version, String token) {
        return Map.of(
                "version",
                version,
                "state",
                "pending",
                "bodhi_url",
                fakes.bodhiUrl().toString(),
                "bodhi_token",
                token);
    }

    private Map<String, Object> releaseParameters(int version, String bodhiToken) {
        return Map.of(
                "version",
                version,
                "koji_url",
                fakes.kojiHubUrl().toString(),
                "koji_user",
                KOJI_USER,
                "koji_password",
                KOJI_PASSWORD,
                "bodhi_url",
                fakes.bodhiUrl().toString(),
                "bodhi_token",
                bodhiToken);
    }

    private Map<String, Object> blockParameters(String password) {
        return Map.of(
                "branch",
                "rawhide",
                "tag",
                "f45",
                "distgit_url",
                fakes.distGitUrl().toString(),
                "koji_url",
                fakes.kojiHubUrl().toString(),
                "koji_user",
                KOJI_USER,
                "koji_password",
                password);
    }

    private Map<String, Object> sidetagParameters(String user, String password) {
        return Map.of(
                "basetag",
                "f42-build",
                "koji_url",
                fakes.kojiHubUrl().toString(),
                "koji_user",
                user,
                "koji_password",
                password);
    }

    private Map<String, Object> stageParameters(String composeId) {
        return Map.of(
                "compose_id", composeId,
                "compose_root", composeRoot.toString(),
                "stage_root", stageRoot.toString());
    }

    private Map<String, Object> announceParameters(String composeId) {
        return Map.of("compose_id", composeId, "compose_root", composeRoot.toString());
    }

    private Map<String, Object> signingParameters(int version, int maxPending) {
        return Map.of(
                "version",
                version,
                "max_pending",
                maxPending,
                "koji_url",
                fakes.kojiHubUrl().toString());
    }

    private Map<String, Object> testDayParameters(String packages) {
        return Map.of(
                "release",
                "F42",
                "packages",
                packages,
                "test_day_title",
                "Kernel 6.17",
                "test_day_date",
                "2026-12-01",
                "test_day_url",
                "https://fedoraproject.org/wiki/Test_Day:2026-12-01_Kernel_6.17",
                "bodhi_url",
                fakes.bodhiUrl().toString(),
                "bodhi_token",
                BODHI_QA_TOKEN);
    }
}
