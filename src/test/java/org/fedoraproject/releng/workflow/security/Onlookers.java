package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;

/**
 * Callers who must not learn anything of a restricted workflow: anonymous, and {@code outsider},
 * a logged-in service account without read on it. {@link #assertSeeNothingOf} walks every page
 * and API route that shows a workflow or its runs.
 */
final class Onlookers {

    static final String OUTSIDER_TOKEN = "outsider-token-0123456789abcdef";

    private Onlookers() {}

    /** An engine on {@code home} whose service accounts are releng-bot (admin) and outsider (no grants). */
    static TestEngine startEngine(Path home) {
        Path catalog = home.resolve("workflows");
        if (!catalog.toFile().exists()) {
            TestEngine.copyTree(TestEngine.FIXTURES.resolve("workflows"), catalog);
        }
        String accounts = "[{name: releng-bot, groups: [releng], tokenFile: " + home.resolve("token") + "},"
                + " {name: outsider, groups: [packagers], tokenEnv: OUTSIDER_TOKEN}]";
        return TestEngine.startWith(
                home, catalog, null, Map.of("RELENG_AUTH_SERVICEACCOUNTS", accounts, "OUTSIDER_TOKEN", OUTSIDER_TOKEN));
    }

    /** As anonymous and as outsider: the run is unknown, and no listing names the workflow. */
    static void assertSeeNothingOf(TestEngine engine, String workflow, long runId, long number) {
        for (String token : new String[] {null, OUTSIDER_TOKEN}) {
            String who = token == null ? "anonymous" : "outsider";
            for (String path : new String[] {
                "/api/runs/" + runId,
                "/api/runs/" + runId + "/log",
                "/api/runs/" + runId + "/log/stream",
                "/runs/" + runId,
                "/api/workflows/" + workflow,
                "/job/" + workflow + "/",
                "/job/" + workflow + "/" + number + "/",
                "/job/" + workflow + "/" + number + "/consoleText"
            }) {
                HttpResponse<String> r = get(engine, path, token);
                assertThat(r.statusCode())
                        .as("%s GET %s: %s", who, path, r.body())
                        .isEqualTo(404);
            }
            for (String path : new String[] {"/api/workflows", "/api/runs?limit=500", "/", "/metrics"}) {
                HttpResponse<String> r = get(engine, path, token);
                assertThat(r.statusCode()).as("%s GET %s", who, path).isEqualTo(200);
                assertThat(r.body()).as("%s GET %s", who, path).doesNotContain(workflow);
            }
            assertThat(engine.read(get(engine, "/api/runs?workflow=" + workflow, token)
                                    .body())
                            .get("runs"))
                    .as("%s lists runs of %s", who, workflow)
                    .isEmpty();
            HttpResponse<String> trigger = engine.post("/api/workflows/" + workflow + "/runs", "{}", token);
            assertThat(trigger.statusCode())
                    .as("%s triggers: %s", who, trigger.body())
                    .isEqualTo(404);
            HttpResponse<String> cancel = engine.post("/api/runs/" + runId + "/cancel", "", token);
            assertThat(cancel.statusCode())
                    .as("%s cancels: %s", who, cancel.body())
                    .isEqualTo(404);
        }
    }

    static HttpResponse<String> get(TestEngine engine, String path, String token) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(engine.url(path))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return engine.send(request.build());
    }
}
