package org.fedoraproject.releng.workflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.fedoraproject.releng.workflow.testsupport.ReleaseFakes.BODHI_RELENG_TOKEN;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
 * The shipped chain and lock end to end against the stand-ins, as releng and QA use them: QA
 * (quinn) asks for a {@code beta-candidate}, releng (rita) approves or denies it, and the steps
 * compose with the pungi-koji stand-in, stage and announce; a push of updates waits while a
 * compose holds the {@code compose} lock.
 */
class ShippedChainsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    private static FedoraLikeProvider provider;
    private static TestEngine engine;
    private static HttpUser quinn;
    private static HttpUser rita;

    private ReleaseFakes fakes;

    @TempDir
    Path composeRoot;

    @TempDir
    Path stageRoot;

    @BeforeAll
    static void startEngine() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(ReleaseFakes.projectDir().resolve("workflows"), catalog);
        provider = FedoraLikeProvider.start(Clock.systemUTC()::instant);
        // the shipped compose-nightly is scheduled: it must not start a compose of its own mid-test
        engine = TestEngine.startWith(
                home,
                catalog,
                "schedules: {enabled: false}\n",
                "oidc: " + provider.oidcYaml() + "\n",
                Map.of(FedoraLikeProvider.SECRET_ENV, FedoraLikeProvider.SECRET),
                Clock.systemUTC());
        quinn = HttpUser.logIn(engine, provider, "quinn", "qa");
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

    // ----- beta-candidate ----------------------------------------------------------------------

    @Test
    void qaAsksRelengApprovesAndTheCandidateIsComposedStagedAndAnnounced() throws IOException {
        // QA may ask for the chain, but not run compose-nightly itself
        HttpResponse<String> direct =
                quinn.post("/api/workflows/compose-nightly/runs", body(candidate("ok", "Beta-1.2")), true);
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(403);

        long chain = askForCandidate("ok", "Beta-1.2");
        HttpResponse<String> own = decide(quinn, chain, "approve");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
        assertThat(decide(rita, chain, "approve").statusCode()).isEqualTo(200);

        JsonNode done = engine.awaitFinal(chain);
        assertThat(done.path("status").asText()).as(engine.log(chain)).isEqualTo("succeeded");
        Map<String, JsonNode> steps = steps(done);
        assertThat(steps.get("compose").path("status").asText()).isEqualTo("succeeded");
        assertThat(steps.get("stage").path("status").asText()).isEqualTo("succeeded");
        assertThat(steps.get("tell-qa").path("status").asText()).isEqualTo("succeeded");
        assertThat(steps.get("tell-qa-failure").path("status").asText()).isEqualTo("skipped");

        JsonNode compose = stepRun(steps, "compose");
        assertThat(compose.at("/cause/type").asText()).isEqualTo("chain");
        assertThat(compose.at("/cause/user").asText()).isEqualTo("quinn");
        assertThat(compose.at("/parameters/compose_type").asText()).isEqualTo("production");
        String composeId = compose.at("/outputs/compose_id").asText();
        assertThat(composeId).matches("Fedora-Rawhide-\\d{8}\\.0");
        assertThat(compose.at("/outputs/compose_label").asText()).isEqualTo("Beta-1.2");
        assertThat(Files.readString(composeRoot.resolve(composeId).resolve("STATUS"))
                        .trim())
                .isEqualTo("FINISHED");

        JsonNode stage = stepRun(steps, "stage");
        assertThat(stage.at("/outputs/stage_path").asText())
                .isEqualTo(stageRoot.resolve("Rawhide_Beta-1.2").toString());
        assertThat(stageRoot.resolve("Rawhide_Beta-1.2/Everything/x86_64/os")).isDirectory();

        // what QA's bot reads from the announcement's complete message
        JsonNode announcement = stepRun(steps, "tell-qa").at("/outputs/announcement");
        assertThat(announcement.path("compose_id").asText()).isEqualTo(composeId);
        assertThat(announcement.path("compose_label").asText()).isEqualTo("Beta-1.2");
        assertThat(announcement.path("location").asText())
                .isEqualTo(stage.at("/outputs/stage_url").asText())
                .endsWith("/Rawhide_Beta-1.2/");
        assertThat(announcement.path("ready").asBoolean()).isTrue();
        assertThat(announcement.path("subject").asText()).contains(composeId, "ready for testing");
    }

    @Test
    void aDoomedCandidateIsAnnouncedAsFailedAndTheChainFails() throws IOException {
        long chain = askForCandidate("doomed", "Beta-1.3");
        assertThat(decide(rita, chain, "approve").statusCode()).isEqualTo(200);

        JsonNode done = engine.awaitFinal(chain);
        assertThat(done.path("status").asText()).as(engine.log(chain)).isEqualTo("failed");
        Map<String, JsonNode> steps = steps(done);
        assertThat(steps.get("compose").path("status").asText()).isEqualTo("failed");
        assertThat(steps.get("stage").path("status").asText()).isEqualTo("skipped");
        assertThat(steps.get("tell-qa").path("status").asText()).isEqualTo("skipped");
        assertThat(steps.get("tell-qa-failure").path("status").asText()).isEqualTo("failed");
        String composeId = stepRun(steps, "compose").at("/outputs/compose_id").asText();

        JsonNode failure = stepRun(steps, "tell-qa-failure");
        JsonNode announcement = failure.at("/outputs/announcement");
        assertThat(announcement.path("compose_id").asText()).isEqualTo(composeId);
        assertThat(announcement.path("compose_status").asText()).isEqualTo("DOOMED");
        assertThat(announcement.path("ready").asBoolean()).isFalse();
        assertThat(announcement.path("failed").asBoolean()).isTrue();
        assertThat(announcement.path("subject").asText()).contains(composeId, "the candidate failed");
        assertThat(engine.log(failure.path("id").asLong())).contains("was announced to QA as a failed candidate");
        assertThat(listing(stageRoot)).as("nothing staged").isEmpty();
    }

    @Test
    void aDeniedCandidateComposesNothing() throws IOException {
        long chain = askForCandidate("ok", "RC-1.1");
        assertThat(decide(rita, chain, "deny").statusCode()).isEqualTo(200);

        JsonNode done = engine.awaitFinal(chain);
        assertThat(done.path("status").asText()).isEqualTo("rejected");
        assertThat(done.at("/approval/outcome").asText()).isEqualTo("denied");
        for (JsonNode step : done.path("steps")) {
            assertThat(step.path("run").isNull()).as("step %s", step).isTrue();
        }
        assertThat(listing(composeRoot)).as("nothing composed").isEmpty();
        assertThat(listing(stageRoot)).as("nothing staged").isEmpty();
    }

    // ----- the compose lock --------------------------------------------------------------------

    @Test
    void aPushOfUpdatesWaitsWhileAComposeHoldsTheComposeLock() throws IOException {
        Path hold = Files.writeString(composeRoot.resolve("hold"), "until the test says so");
        Path configDir = Files.createDirectories(stageRoot.resolve("held-config"));
        Files.writeString(
                configDir.resolve("fedora.conf"),
                Files.readString(fakes.pungiConfigDir("ok").resolve("fedora.conf")) + "fake_hold_while = \"" + hold
                        + "\"\n");
        Map<String, Object> compose = new HashMap<>(Map.of(
                "config_dir", configDir.toString(),
                "target_dir", composeRoot.toString(),
                "pungi_koji", fakes.pungiKoji().toString()));
        long holder = engine.trigger("compose-nightly", JSON.writeValueAsString(compose))
                .path("id")
                .asLong();
        engine.awaitStatus(holder, "running");

        long push = engine.trigger(
                        "push-updates",
                        JSON.writeValueAsString(Map.of(
                                "release",
                                "F42",
                                "request",
                                "stable",
                                "dry_run",
                                false,
                                "bodhi_url",
                                fakes.bodhiUrl().toString(),
                                "bodhi_token",
                                BODHI_RELENG_TOKEN)))
                .path("id")
                .asLong();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !engine.run(push).path("waitingFor").isNull());
        JsonNode waiting = engine.run(push);
        assertThat(waiting.path("status").asText()).isEqualTo("queued");
        assertThat(waiting.at("/waitingFor/lock").asText()).isEqualTo("compose");
        assertThat(waiting.at("/waitingFor/held").asBoolean()).isTrue();
        assertThat(waiting.at("/waitingFor/run/id").asLong()).isEqualTo(holder);
        assertThat(fakes.bodhiState()
                        .at("/updates/FEDORA-2026-1a2b3c4d5e/status")
                        .asText())
                .as("nothing pushed yet")
                .isEqualTo("testing");

        Files.delete(hold);

        JsonNode composed = engine.awaitFinal(holder);
        JsonNode pushed = engine.awaitFinal(push);
        assertThat(composed.path("status").asText()).as(engine.log(holder)).isEqualTo("succeeded");
        assertThat(pushed.path("status").asText()).as(engine.log(push)).isEqualTo("succeeded");
        assertThat(Instant.parse(pushed.path("startedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(composed.path("finishedAt").asText()));
        assertThat(fakes.bodhiState()
                        .at("/updates/FEDORA-2026-1a2b3c4d5e/status")
                        .asText())
                .isEqualTo("stable");
    }

    // ----- helpers -----------------------------------------------------------------------------

    /** quinn (QA) asks for a candidate; it waits for releng's approval, with nothing composed yet. */
    private long askForCandidate(String pungiConfig, String label) throws IOException {
        HttpResponse<String> asked =
                quinn.post("/api/workflows/beta-candidate/runs", body(candidate(pungiConfig, label)), true);
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        JsonNode chain = engine.read(asked.body());
        assertThat(chain.path("status").asText()).isEqualTo("waiting_approval");
        assertThat(engine.run(chain.path("id").asLong()).at("/approval/starter").asText())
                .isEqualTo("quinn");
        assertThat(listing(composeRoot)).as("nothing composed before approval").isEmpty();
        return chain.path("id").asLong();
    }

    private Map<String, Object> candidate(String pungiConfig, String label) {
        return Map.of(
                "label", label,
                "config_dir", fakes.pungiConfigDir(pungiConfig).toString(),
                "compose_root", composeRoot.toString(),
                "stage_root", stageRoot.toString(),
                "pungi_koji", fakes.pungiKoji().toString());
    }

    private static String body(Map<String, Object> parameters) {
        try {
            return "{\"parameters\":" + JSON.writeValueAsString(parameters) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static HttpResponse<String> decide(HttpUser who, long run, String verdict) {
        return who.post("/api/runs/" + run + "/" + verdict, "{\"comment\":\"by " + verdict + "\"}", true);
    }

    private static Map<String, JsonNode> steps(JsonNode chainRun) {
        Map<String, JsonNode> steps = new HashMap<>();
        chainRun.path("steps").forEach(s -> steps.put(s.path("id").asText(), s));
        assertThat(steps).containsOnlyKeys("compose", "stage", "tell-qa", "tell-qa-failure");
        return steps;
    }

    private static JsonNode stepRun(Map<String, JsonNode> steps, String step) {
        return engine.run(steps.get(step).at("/run/id").asLong());
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals("hold")).toList();
        }
    }
}
