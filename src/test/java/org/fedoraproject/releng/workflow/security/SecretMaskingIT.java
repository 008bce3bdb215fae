package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fedoraproject.releng.workflow.log.SecretMasker;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the log masking with the real ansible-playbook at {@code -vvvv}: a careless playbook
 * prints its secrets in every form Ansible has, and the public log must show none of them, nor
 * any long piece of them, and must go on to its end.
 */
class SecretMaskingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Quote, backslash, apostrophe, slash, ä, 🔑 (outside the BMP), tab, and a dollar for the shell. */
    private static final String TOKEN = "pä\"ss\\wo'rd/\uD83D\uDD11-x\ty$HOME";

    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
            + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
            + "QyNTUxOQAAACBKa2VuZ2VyLXNlY3JldC1ib2R5LWxpbmUtdHdvAAAAA\n"
            + "-----END OPENSSH PRIVATE KEY-----";

    @TempDir
    static Path home;

    private static TestEngine engine;

    @BeforeAll
    static void start() {
        Path catalog = home.resolve("workflows");
        TestEngine.copyTree(TestEngine.FIXTURES.resolve("masking-workflows"), catalog);
        engine = TestEngine.startWith(home, catalog, null, Map.of());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void noFormOfTheSecretsReachesTheLogAtVerbosityFour() throws Exception {
        String log = finishedLog("print-secrets", Map.of("token", TOKEN, "key", KEY));

        assertThat(log).contains("verbosity: 4").contains("\"cmd\": \"echo cmd:'" + SecretMasker.MASK + "'\"");
        for (String form : forms(TOKEN)) {
            assertThat(log).as("log holds %s", form).doesNotContain(form);
        }
        for (String line : KEY.split("\n")) {
            assertThat(log).as("log holds the key's line %s", line).doesNotContain(line);
        }
        assertThat(log)
                .doesNotContain("wo'rd")
                .doesNotContain("wo\\'rd")
                .doesNotContain("OPENSSH PRIVATE")
                .doesNotContain("b3BlbnNzaC1y");
        assertLogGoesOnToItsEnd(log, "the log goes on after the secrets");
    }

    @Test
    void aSecretOfTwoHundredThousandCharactersIsMaskedWholeAndTheLogGoesOn() throws Exception {
        String secret = longSecret(200_000);
        String log = finishedLog("print-long-secret", Map.of("token", secret));

        assertNoPieceOf(secret, log);
        assertThat(log)
                .contains("\"token\": \"" + SecretMasker.MASK + "\"")
                .contains("\"stdout\": \"" + SecretMasker.MASK + "\"");
        assertLogGoesOnToItsEnd(log, "the log goes on after the secret");
    }

    @Test
    void secretsTooShortOrCommonToMaskAreRefusedOverTheApiWithoutShowingThem() throws Exception {
        for (String weak : List.of("a", "true", "hunt2", "password", "12345678", "xxxxxxxx")) {
            HttpResponse<String> r = engine.post(
                    "/api/workflows/print-long-secret/runs",
                    "{\"parameters\":{\"token\":" + JSON.writeValueAsString(weak) + "}}",
                    TestEngine.TOKEN);
            assertThat(r.statusCode()).as("%s: %s", weak, r.body()).isEqualTo(400);
            JsonNode body = engine.read(r.body());
            assertThat(body.path("error").asText()).isEqualTo("invalid parameters");
            assertThat(body.path("fields").path("token").asText())
                    .startsWith("secret values must be at least 6 characters and not a common word");
            if (weak.length() >= 6) {
                assertThat(r.body()).doesNotContain(weak);
            }
        }
        assertThat(engine.read(engine.getWithToken("/api/runs?workflow=print-long-secret")
                                .body())
                        .path("runs")
                        .toString())
                .as("nothing was started")
                .doesNotContain("\"status\":\"queued\"");
    }

    @Test
    void theRunFormShowsTheRefusalBesideTheSecretField() {
        String form = "token=" + URLEncoder.encode("password", StandardCharsets.UTF_8);
        HttpResponse<String> page =
                engine.send(HttpRequest.newBuilder(URI.create(engine.url("/job/print-long-secret/build")))
                        .header("Authorization", "Bearer " + TestEngine.TOKEN)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build());

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body())
                .contains("id=\"error-token\"")
                .contains("secret values must be at least 6 characters and not a common word")
                .doesNotContain("value=\"password\"");
    }

    private static String finishedLog(String workflow, Map<String, String> parameters) throws Exception {
        JsonNode run = engine.trigger(workflow, JSON.writeValueAsString(parameters));
        JsonNode finished = engine.awaitFinal(run.path("id").asLong());
        String log = engine.log(run.path("id").asLong());
        assertThat(finished.path("status").asText())
                .as("log:%n%s", log.length() > 20_000 ? log.substring(0, 20_000) : log)
                .isEqualTo("succeeded");
        return log;
    }

    private static void assertLogGoesOnToItsEnd(String log, String lastMessage) {
        assertThat(log)
                .contains("\"msg\": \"" + lastMessage + "\"")
                .contains("PLAY RECAP")
                .contains("Finished: SUCCEEDED");
    }

    /** No 16-character piece of {@code secret}, at any offset, is in the log. */
    private static void assertNoPieceOf(String secret, String log) {
        Set<String> pieces = new LinkedHashSet<>();
        for (int i = 0; i + 16 <= secret.length(); i++) {
            pieces.add(secret.substring(i, i + 16));
        }
        for (int i = 0; i + 16 <= log.length(); i++) {
            String piece = log.substring(i, i + 16);
            if (pieces.contains(piece)) {
                throw new AssertionError("the log holds a piece of the secret at " + i + ": " + piece);
            }
        }
    }

    /** The token as Ansible prints it in this playbook's tasks: raw and escaped every way. */
    private static List<String> forms(String s) {
        String json = s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t");
        String ascii = json.replace("ä", "\\u00e4").replace("\uD83D\uDD11", "\\ud83d\\udd11");
        String yaml = json.replace("\uD83D\uDD11", "\\U0001F511");
        String repr = s.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t");
        String shell = s.replace("'", "'\"'\"'");
        return List.of(s, json, ascii, yaml, repr, shell, jsonOf(ascii), jsonOf(yaml), jsonOf(repr), jsonOf(shell));
    }

    private static String jsonOf(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t");
    }

    private static String longSecret(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_.";
        Random random = new Random(length);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
