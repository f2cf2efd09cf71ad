package io.docstream.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.docstream.platform.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));

    @Test
    void doublesWithEveryFailureInARowUpToTheMaximum() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30), clock, () -> 0.5);

        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Duration delay = backoff.nextDelay();
            delays.add(delay.toSeconds());
            clock.advance(delay.plusSeconds(1));
        }

        assertThat(delays).containsExactly(2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void spreadsEachDelayByTwentyPercent() {
        assertThat(new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(30), clock, () -> 0.0).nextDelay())
                .isEqualTo(Duration.ofSeconds(8));
        assertThat(new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(30), clock, () -> 0.999999).nextDelay())
                .isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void startsOverAfterRunningLongerThanTheMaximumWithoutFailing() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30), clock, () -> 0.5);
        backoff.nextDelay();
        clock.advance(Duration.ofSeconds(3));
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(4));

        clock.advance(Duration.ofSeconds(120));

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesAMaximumBelowTheFirstDelay() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), clock, () -> 0.5));
    }
}
