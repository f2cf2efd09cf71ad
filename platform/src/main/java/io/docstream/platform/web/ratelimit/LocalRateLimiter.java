package io.docstream.platform.web.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The limiter of one process, used while Redis cannot be asked: the same generic cell rate algorithm (GCRA)
 * as {@link RedisRateLimiter}, with each key's theoretical arrival time in memory. Every instance then
 * grants the full budget on its own, so while Redis is away a key can make up to (instances x limit) requests.
 */
final class LocalRateLimiter {

    private static final int MAX_KEYS = 100_000;

    private final Cache<String, Long> arrivals;
    private final LongSupplier micros;

    LocalRateLimiter() {
        this(() -> System.nanoTime() / 1_000);
    }

    LocalRateLimiter(LongSupplier micros) {
        this.micros = micros;
        // An entry is only needed until its budget is full again; an hour covers every sensible period.
        this.arrivals = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(MAX_KEYS).build();
    }

    RateLimitDecision acquire(String key, RateLimitProperties.Limit limit) {
        long interval = limit.intervalMicros();
        long tolerance = interval * limit.burst();
        RateLimitDecision[] decision = new RateLimitDecision[1];
        arrivals.asMap().compute(key, (ignored, stored) -> {
            long now = micros.getAsLong();
            long tat = stored == null || stored < now ? now : stored;
            long next = tat + interval;
            long allowAt = next - tolerance;
            if (now < allowAt) {
                decision[0] = RateLimitDecision.of(0, 0, allowAt - now, tat - now, RateLimitDecision.LOCAL);
                return stored;
            }
            decision[0] = RateLimitDecision.of(1, (now - allowAt) / interval, 0, next - now, RateLimitDecision.LOCAL);
            return next;
        });
        return decision[0];
    }
}
