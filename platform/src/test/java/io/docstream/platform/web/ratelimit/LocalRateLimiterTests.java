package io.docstream.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTests {

    private final AtomicLong micros = new AtomicLong(1_000_000_000L);
    private final LocalRateLimiter limiter = new LocalRateLimiter(micros::get);

    @Test
    void grantsTheBurstThenRefusesUntilOneIntervalHasPassed() {
        RateLimitProperties.Limit fivePerTenSeconds = new RateLimitProperties.Limit(5, Duration.ofSeconds(10), 5);

        for (int remaining = 4; remaining >= 0; remaining--) {
            RateLimitDecision decision = limiter.acquire("k", fivePerTenSeconds);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(remaining);
        }
        RateLimitDecision refused = limiter.acquire("k", fivePerTenSeconds);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(refused.reset()).isEqualTo(Duration.ofSeconds(10));
        assertThat(refused.backend()).isEqualTo("local");

        micros.addAndGet(Duration.ofMillis(1_999).toNanos() / 1_000);
        assertThat(limiter.acquire("k", fivePerTenSeconds).allowed()).isFalse();
        micros.addAndGet(1_000);
        RateLimitDecision afterInterval = limiter.acquire("k", fivePerTenSeconds);
        assertThat(afterInterval.allowed()).isTrue();
        assertThat(afterInterval.remaining()).isZero();
    }

    @Test
    void aQuietSpellRestoresTheWholeBurstButNoMore() {
        RateLimitProperties.Limit limit = new RateLimitProperties.Limit(2, Duration.ofSeconds(1), 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("k", limit).allowed()).isTrue();
        }
        assertThat(limiter.acquire("k", limit).allowed()).isFalse();

        micros.addAndGet(Duration.ofMinutes(1).toNanos() / 1_000);
        assertThat(limiter.acquire("k", limit).remaining()).isEqualTo(2);
        assertThat(limiter.acquire("other", limit).remaining()).isEqualTo(2);
    }
}
