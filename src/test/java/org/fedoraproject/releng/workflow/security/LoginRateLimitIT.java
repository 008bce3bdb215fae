package org.fedoraproject.releng.workflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.fedoraproject.releng.workflow.auth.PasswordHash;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.fedoraproject.releng.workflow.testsupport.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing against the break-glass login: a burst of wrong guesses is refused with 429
 * before any password hash is computed, so it neither holds server threads nor slows /healthz,
 * and the administrator still gets in once the back-off has passed.
 */
class LoginRateLimitIT {

    static final int GUESSES = 300;
    /**
     * Generous, for a shared 2-core machine: the old blocking delay and unthrottled hashing made
     * /healthz take 3 to 18 s during such a burst; throttled, it answers in a few milliseconds.
     */
    static final Duration HEALTHZ_TYPICAL = Duration.ofMillis(100);

    static final Duration HEALTHZ_WORST = Duration.ofSeconds(1);

    @TempDir
    Path home;

    final SettableClock clock = new SettableClock();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    /** Its own client, so the guesses' connections do not queue ahead of it on the client side. */
    final HttpClient monitor =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    TestEngine engine;

    @BeforeEach
    void start() {
        String hash = PasswordHash.hash("correct horse".toCharArray());
        engine = TestEngine.startWithAuth(
                home, "localAdmin: {username: breakglass, passwordHash: \"" + hash + "\"}\n", Map.of(), clock);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private HttpRequest guess(String user, String password) {
        return HttpRequest.newBuilder(URI.create(engine.url("/login/local")))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "username=" + user + "&password=" + password + "&next=/whoami"))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Duration timeHealthz() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> health = monitor.send(
                HttpRequest.newBuilder(URI.create(engine.url("/healthz")))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(health.statusCode()).isEqualTo(200);
        return took;
    }

    @Test
    void burstOfWrongGuessesIsRefusedWithoutSlowingHealthzAndTheAdminGetsInAfterTheBackOff() throws Exception {
        timeHealthz();
        List<CompletableFuture<HttpResponse<String>>> guesses = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
            guesses.add(http.sendAsync(guess("breakglass", "wrong-" + i), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(guesses.toArray(CompletableFuture[]::new));
        List<Duration> healthz = new ArrayList<>();
        while (healthz.size() < 10 || !all.isDone()) {
            healthz.add(timeHealthz());
        }

        List<Duration> sorted = healthz.stream().sorted().toList();
        assertThat(sorted.get(sorted.size() / 2))
                .as("median /healthz latency during %d concurrent guesses: %s", GUESSES, healthz)
                .isLessThan(HEALTHZ_TYPICAL);
        assertThat(sorted.get(sorted.size() - 1))
                .as("slowest /healthz during the guesses: %s", healthz)
                .isLessThan(HEALTHZ_WORST);
        all.join();
        Map<Integer, Long> statuses = guesses.stream()
                .map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(401, 429);
        assertThat(statuses.get(429)).as("statuses %s", statuses).isGreaterThanOrEqualTo(GUESSES - 10L);
        HttpResponse<String> refused = guesses.stream()
                .map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 429)
                .findFirst()
                .orElseThrow();
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isPositive();
        assertThat(refused.body()).contains("Too many failed logins");

        HttpResponse<String> tooSoon = send(guess("breakglass", "correct%20horse"));
        assertThat(tooSoon.statusCode())
                .as("even the right password waits out the back-off")
                .isEqualTo(429);
        assertThat(tooSoon.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("releng_session="));

        clock.advance(Duration.ofSeconds(
                Long.parseLong(tooSoon.headers().firstValue("Retry-After").orElseThrow())));
        HttpResponse<String> admin = send(guess("breakglass", "correct%20horse"));
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(303);
        assertThat(admin.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("releng_session=");
    }

    @Test
    void oneAddressSprayingManyUserNamesIsRefusedToo() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(send(guess("user" + i, "wrong")).statusCode());
        }

        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 20))
                .as("the address is slowed down, not only each name")
                .containsOnly(429);
    }
}
