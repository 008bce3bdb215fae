package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9, item 4, after a restart: the engine remembers no definition of a workflow whose file
 * is broken at start, so it cannot know its visibility and treats it as restricted; its queued
 * runs wait for the fix instead of failing. Workflows whose files are fine are unaffected.
 */
class RestrictedAfterRestartIT {

    @TempDir
    Path home;

    @Test
    void brokenAtStartCountsAsRestrictedAndItsQueuedRunWaitsForTheFix() throws Exception {
        long restricted;
        long restrictedNumber;
        long open;
        long queued;
        try (TestEngine before = Onlookers.startEngine(home)) {
            JsonNode run = before.trigger("restricted-chore", null);
            restricted = run.get("id").asLong();
            restrictedNumber = run.get("number").asLong();
            open = before.trigger("echo-params", null).get("id").asLong();
            before.awaitFinal(restricted);
            before.awaitFinal(open);
            long first =
                    before.trigger("sleeper", "{\"seconds\":600}").get("id").asLong();
            before.awaitStatus(first, "running");
            queued = before.trigger("sleeper", "{\"seconds\":0}").get("id").asLong();
            assertThat(before.run(queued).get("status").asText()).isEqualTo("queued");
        }
        Path catalog = home.resolve("workflows");
        Path sleeper = catalog.resolve("sleeper.yaml");
        String validSleeper = Files.readString(sleeper);
        Files.writeString(
                catalog.resolve("restricted-chore.yaml"),
                RestrictedStaysRestrictedIT.BROKEN.formatted("restricted-chore"));
        Files.writeString(sleeper, RestrictedStaysRestrictedIT.BROKEN.formatted("sleeper"));

        try (TestEngine after = Onlookers.startEngine(home)) {
            Onlookers.assertSeeNothingOf(after, "restricted-chore", restricted, restrictedNumber);
            assertThat(after.getWithToken("/api/runs/" + restricted).statusCode())
                    .isEqualTo(200);
            assertThat(after.getWithToken("/api/workflows").body()).contains("restricted-chore.yaml");
            // a file that was public before the restart is unknown now, and shown to admins only
            assertThat(after.get("/api/workflows").body())
                    .contains("echo-params")
                    .doesNotContain("sleeper.yaml");
            assertThat(after.get("/api/runs/" + open).statusCode()).isEqualTo(200);
            assertThat(after.get("/api/runs/" + open + "/log").body()).contains("Finished: SUCCEEDED");

            await().during(Duration.ofSeconds(7))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> after.run(queued).get("status").asText().equals("queued"));
            Files.writeString(sleeper, validSleeper);

            JsonNode done = after.awaitFinal(queued);
            assertThat(done.get("status").asText()).as(after.log(queued)).isEqualTo("succeeded");
            assertThat(after.get("/api/runs/" + queued).statusCode()).isEqualTo(200);
        }
    }
}
