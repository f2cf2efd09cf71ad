package io.docstream.platform.web.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * outcome ({@code allowed}, {@code limited}), backend and endpoint class; the backend is {@code redis} when the
 * request asked Redis itself, {@code lease} when this instance decided it from its lease (below) without asking,
 * and {@code local} when this instance's own limiter decided it because Redis could not be asked.
 *
 * <h2>Leases</h2>
 * With Redis, a busy key's requests are decided in this process, without a round trip. Per endpoint class and key,
 * each instance holds a {@link Lease}: requests already spent in Redis (one script call spends several at once,
 * moving the key's theoretical arrival time by as many intervals; Redis grants only as many as the budget allows)
 * that it grants one by one without I/O. When fewer than half the lease size are left, one refill is asked of
 * Redis asynchronously (at most one under way per key), so requests normally never wait. Only a request that finds
 * the lease empty waits for Redis, at most {@code redis-timeout} (then the local limiter decides, as without
 * leases), asking for itself and a refill at once. When Redis grants fewer than asked, the budget is spent: until
 * one more request fits by that answer, requests finding the lease empty are refused without asking Redis again.
 * The lease size follows the key's demand: its request count over the last 100 ms, at least 1 and at most
 * {@code lease-max} and a twentieth of the class's burst. A quiet key (a few requests per second) has lease size 1,
 * so each of its granted requests asks Redis as without leases, and is limited exactly as before. Leased requests
 * expire {@code lease-ttl} after they arrive.
 *
 * <h2>Error bound</h2>
 * With N instances and a lease cap C = min({@code lease-max}, burst / 20), at least 1:
 * <ul>
 * <li>Over-admission: none. No instance grants a request that was not first spent in Redis, so all instances
 * together grant at most what the GCRA grants: from any moment when no instance holds a lease of the key (such as
 * its first request), at most (limit x elapsed time + burst). Only the timing shifts: a leased request is granted
 * up to {@code lease-ttl} after Redis counted it, so within a window that starts while leases are held the
 * instances may grant what they held at its start (at most N x C) on top of the GCRA's allowance for that
 * window.</li>
 * <li>Under-admission: up to N x C requests of a key can sit unused in the instances' leases (at most C each), so
 * a key may be refused up to that many requests early, and leased requests still unused after {@code lease-ttl}
 * (or when the key stops) are lost, at most N x C per lease lifetime. A refill that timed out may have been spent
 * in Redis all the same; it is lost too.</li>
 * <li>Headers: a request decided from the lease reports remaining and reset as estimated from Redis's last answer
 * minus this instance's spending since; what other instances spent meanwhile is not in them. A request that asked
 * Redis reports Redis's answer (plus what the lease holds).</li>
 * </ul>
 * While Redis cannot be asked, requests still leased are granted until they run out or expire; after that the
 * local limiter decides as without leases.
 */
public final class RateLimiter {

    /** Prometheus: {@code docstream_rate_limit_decisions_total}. */
    public static final String DECISIONS_METER = "docstream.rate.limit.decisions";

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final Duration SKIP_AFTER_TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_KEYS = 100_000;

    private final RateLimitProperties properties;
    private final RedisRateLimiter redis;
    private final LocalRateLimiter local;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    // A lease is worth keeping for its lease-ttl, its demand count and refusal for seconds at most.
    private final Cache<String, Lease> leases = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1))
            .maximumSize(MAX_KEYS).build();
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
        RateLimitDecision decision = redis == null ? local.acquire(key, limit) : shared(key, limit);
        count(decision, endpointClass);
        return decision;
    }

    /** Requests that waited for Redis (calls sent). */
    long syncRedisCalls() {
        return redis == null ? 0 : redis.syncCalls();
    }

    /** Lease refills asked of Redis without waiting (calls sent). */
    long asyncRedisCalls() {
        return redis == null ? 0 : redis.asyncCalls();
    }

    /** The key's lease on this instance, null when it has none. */
    Lease lease(UUID keyId, Scope endpointClass) {
        return leases.getIfPresent(endpointClass.value() + ":" + keyId);
    }

    private RateLimitDecision shared(String key, RateLimitProperties.Limit limit) {
        Lease lease = leases.get(key, ignored -> new Lease(properties.leaseTtl(), System.nanoTime()));
        Lease.Step step = lease.take(System.nanoTime(), limit, properties.leaseCap(limit));
        if (step.refill() > 0) {
            refill(lease, key, limit, step.refill());
        }
        if (step.decision() != null) {
            return step.decision();
        }
        try {
            RedisRateLimiter.Grant grant = redis.acquire(key, limit, step.cost());
            if (usingLocal) {
                usingLocal = false;
                log.info("rate limits are shared through Redis again");
            }
            return lease.settle(System.nanoTime(), grant, step.cost());
        } catch (RuntimeException e) {
            lease.abandon(step.cost());
            if (!usingLocal) {
                usingLocal = true;
                log.warn("rate limits are kept in this process while Redis cannot be used: {}", e.toString());
            }
            return local.acquire(key, limit);
        }
    }

    private void refill(Lease lease, String key, RateLimitProperties.Limit limit, int cost) {
        redis.acquireAsync(key, limit, cost).whenComplete((grant, failure) -> {
            if (failure == null) {
                lease.refilled(System.nanoTime(), grant, cost);
            } else {
                lease.refillFailed(cost);
            }
        });
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
