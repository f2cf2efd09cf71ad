package io.docstream.core.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTests {

    private Instant now = Instant.parse("2026-12-02T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void doublesWithEveryFailureInARowUpToTheMaximum() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30), clock, () -> 0.5);

        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Duration delay = backoff.nextDelay();
            delays.add(delay.toSeconds());
            now = now.plus(delay).plusSeconds(1);
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
        now = now.plusSeconds(3);
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(4));

        now = now.plusSeconds(120);

        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesAMaximumBelowTheFirstDelay() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RestartBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1), clock, () -> 0.5));
    }
}
