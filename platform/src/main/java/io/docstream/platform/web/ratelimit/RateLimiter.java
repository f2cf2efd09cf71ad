package io.docstream.platform.web.ratelimit;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.tenancy.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spends one request of an API key's budget for an endpoint class: in Redis, shared by every instance of the
 * service, or, while Redis is down, slower than {@code redis-timeout} or skipped after a failure, in this process. A
 * service without Redis limits locally only. Each decision is counted in {@value #DECISIONS_METER} by
 * outcome ({@code allowed}, {@code limited}), backend ({@code redis}, {@code local}) and endpoint class.
 */
public final class RateLimiter {

    /** Prometheus: {@code docstream_rate_limit_decisions_total}. */
    public static final String DECISIONS_METER = "docstream.rate.limit.decisions";

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final Duration SKIP_AFTER_TIMEOUT = Duration.ofSeconds(1);

    private final RateLimitProperties properties;
    private final RedisRateLimiter redis;
    private final LocalRateLimiter local;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile boolean usingLocal;

    /** {@code redis} is null in a service that has none. */
    public RateLimiter(RateLimitProperties properties, Redis redis, MeterRegistry meters) {
        this(properties, redis, new LocalRateLimiter(), meters);
    }

    RateLimiter(RateLimitProperties properties, Redis redis, LocalRateLimiter local, MeterRegistry meters) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.redis = redis == null ? null : new RedisRateLimiter(redis, properties.redisTimeout(), SKIP_AFTER_TIMEOUT);
        this.local = Objects.requireNonNull(local, "local");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    RateLimitProperties.Limit limit(Scope endpointClass) {
        return properties.limit(endpointClass);
    }

    /** Spends one request of the key's budget for the class; never fails. */
    RateLimitDecision acquire(UUID keyId, Scope endpointClass) {
        RateLimitProperties.Limit limit = properties.limit(endpointClass);
        String key = endpointClass.value() + ":" + keyId;
        RateLimitDecision decision = null;
        if (redis != null) {
            try {
                decision = redis.acquire(key, limit);
                if (usingLocal) {
                    usingLocal = false;
                    log.info("rate limits are shared through Redis again");
                }
            } catch (RuntimeException e) {
                if (!usingLocal) {
                    usingLocal = true;
                    log.warn("rate limits are kept in this process while Redis cannot be used: {}", e.toString());
                }
            }
        }
        if (decision == null) {
            decision = local.acquire(key, limit);
        }
        count(decision, endpointClass);
        return decision;
    }

    private void count(RateLimitDecision decision, Scope endpointClass) {
        String outcome = decision.allowed() ? "allowed" : "limited";
        counters.computeIfAbsent(outcome + "/" + decision.backend() + "/" + endpointClass.value(),
                ignored -> Counter.builder(DECISIONS_METER)
                        .description("Rate limit decisions on API requests")
                        .tag("outcome", outcome)
                        .tag("backend", decision.backend())
                        .tag("class", endpointClass.value())
                        .register(meters))
                .increment();
    }
}
