package org.fedoraproject.releng.workflow.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.fedoraproject.releng.workflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final SettableClock clock = SettableClock.frozenAt(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(clock);

    private void fail(int times, String name, String address) {
        for (int i = 0; i < times; i++) {
            assertThat(throttle.tryAcquire(name, address))
                    .as("attempt %d", i + 1)
                    .isEmpty();
        }
    }

    @Test
    void nameGuessedFromManyAddressesWaitsAfterItsFreeFailures() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            fail(1, "breakglass", "192.0.2." + i);
        }

        assertThat(throttle.tryAcquire("breakglass", "198.51.100.7")).contains(Duration.ofSeconds(1));
        assertThat(throttle.tryAcquire("someone-else", "198.51.100.7")).isEmpty();
    }

    @Test
    void backOffDoublesUpToTheCap() {
        fail(LoginThrottle.FREE_FAILURES, "breakglass", "192.0.2.1");
        clock.advance(Duration.ofSeconds(1));
        fail(1, "breakglass", "192.0.2.1");

        assertThat(throttle.tryAcquire("breakglass", "192.0.2.1")).contains(Duration.ofSeconds(2));
        assertThat(LoginThrottle.backoff(LoginThrottle.FREE_FAILURES + 3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(LoginThrottle.backoff(1000)).isEqualTo(LoginThrottle.MAX_BACKOFF);
    }

    @Test
    void successClearsTheNameAndTheAddress() {
        fail(LoginThrottle.FREE_FAILURES - 1, "breakglass", "192.0.2.1");
        fail(1, "breakglass", "192.0.2.1");
        throttle.succeeded("breakglass", "192.0.2.1");

        fail(LoginThrottle.FREE_FAILURES, "breakglass", "192.0.2.1");
    }

    @Test
    void quietKeysAreForgotten() {
        fail(LoginThrottle.FREE_FAILURES, "breakglass", "192.0.2.1");
        clock.advance(LoginThrottle.FORGET_AFTER);

        fail(LoginThrottle.FREE_FAILURES, "breakglass", "192.0.2.1");
    }

    @Test
    void oneIpv6SlashSixtyFourIsOneClient() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            fail(1, "name" + i, "2001:db8:1:2::" + Integer.toHexString(i + 1));
        }

        assertThat(throttle.tryAcquire("fresh-name", "[2001:db8:1:2:ffff::9]")).isPresent();
        assertThat(throttle.tryAcquire("fresh-name", "2001:db8:1:3::1")).isEmpty();
        assertThat(LoginThrottle.addressKey("2001:db8:1:2::5"))
                .isEqualTo(LoginThrottle.addressKey("2001:0db8:0001:0002:ab::1"));
    }

    @Test
    void inventedNamesAndAddressesCannotGrowItBeyondItsCapacity() {
        for (int i = 0; i < LoginThrottle.CAPACITY + 500; i++) {
            throttle.tryAcquire(
                    "n" + i + "x".repeat(500), "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }

        assertThat(throttle.size()).isLessThanOrEqualTo(2 * LoginThrottle.CAPACITY);
    }
}
