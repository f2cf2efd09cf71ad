package io.docstream.platform.resilience;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The guards of a service's remote calls, one {@link RemoteCall} per kind, each built from its {@link CallPolicy}
 * and published as {@code resilience4j_circuitbreaker_*}, {@code resilience4j_bulkhead_*} and
 * {@code resilience4j_retry_*} meters tagged with the call's name.
 */
public final class RemoteCalls {

    public static final String POSTGRES = "postgres";
    public static final String KAFKA_PRODUCER = "kafka-producer";
    public static final String SEARCH_INDEX = "search-index";
    public static final String EMBEDDER = "embedder";
    public static final String AUDIT_PRODUCER = "audit-producer";

    /**
     * Each call's defaults. PostgreSQL: acquiring a connection is retried once, and the Hikari connection timeout
     * follows {@code timeout}. Kafka sends are never retried here (the idempotent producer retries inside its
     * delivery timeout), and a failed send costs a request the whole wait, so its breaker judges the last ten sends
     * and may open after three. Index reads answer within the search timeout or are answered without. The HTTP embedder is
     * asked up to four times: embedding the same text twice gives the same vector. Audit events are sent once (the
     * idempotent producer retries inside the publish timeout); once half of the last ten (at least three) failed, the
     * breaker answers at once, so an audited request does not wait out the timeout while the broker is away.
     */
    static final Map<String, CallPolicy> DEFAULTS = Map.of(
            POSTGRES, withWindow(new CallPolicy(Duration.ofSeconds(2), 32, Duration.ofSeconds(2),
                    Duration.ofSeconds(5), 2), 20, 5),
            KAFKA_PRODUCER, withWindow(new CallPolicy(Duration.ofSeconds(10), 64, Duration.ofSeconds(1),
                    Duration.ofSeconds(5), 1), 10, 3),
            SEARCH_INDEX, new CallPolicy(Duration.ofSeconds(10), 64, Duration.ofMillis(500), Duration.ofSeconds(10), 1),
            EMBEDDER, withWindow(new CallPolicy(Duration.ofSeconds(10), 8, Duration.ofSeconds(5),
                    Duration.ofSeconds(10), 4), 20, 5),
            AUDIT_PRODUCER, withWindow(new CallPolicy(Duration.ofSeconds(5), 64, Duration.ofSeconds(1),
                    Duration.ofSeconds(5), 1), 10, 3));

    private static final CallPolicy FALLBACK = new CallPolicy(Duration.ofSeconds(5), 32, Duration.ofSeconds(1),
            Duration.ofSeconds(10), 1);

    private final Function<String, CallPolicy> policies;
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final Map<String, RemoteCall> calls = new ConcurrentHashMap<>();

    /**
     * @param policies the policy of each call by name, e.g. its defaults with the deployment's settings bound over
     * @param meters where the guards publish their state, or null
     */
    public RemoteCalls(Function<String, CallPolicy> policies, MeterRegistry meters) {
        this.policies = Objects.requireNonNull(policies, "policies");
        if (meters != null) {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
            TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        }
    }

    private static CallPolicy withWindow(CallPolicy policy, int slidingWindow, int minimumCalls) {
        policy.setSlidingWindow(slidingWindow);
        policy.setMinimumCalls(minimumCalls);
        return policy;
    }

    /** Guards with every call at its defaults. */
    public static RemoteCalls withDefaults() {
        return new RemoteCalls(RemoteCalls::defaults, null);
    }

    /** A fresh copy of the defaults of {@code name}. */
    public static CallPolicy defaults(String name) {
        return DEFAULTS.getOrDefault(name, FALLBACK).copy();
    }

    /**
     * The guard of {@code name}, created on first use.
     *
     * @param transientFailure which failures say the dependency is unhealthy (they count against the breaker and
     *     are retried); others, such as a rejection of the request's own data, pass through untouched. Only the
     *     first caller's predicate is kept.
     */
    public RemoteCall call(String name, Predicate<Throwable> transientFailure) {
        return calls.computeIfAbsent(name, key -> create(key, transientFailure));
    }

    private RemoteCall create(String name, Predicate<Throwable> transientFailure) {
        CallPolicy policy = policies.apply(name);
        policy.validate(name);
        Predicate<Throwable> counts = failure -> !RemoteCall.refused(failure) && transientFailure.test(failure);
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                .slidingWindowSize(policy.getSlidingWindow())
                .minimumNumberOfCalls(policy.getMinimumCalls())
                .failureRateThreshold(policy.getFailureRateThreshold())
                .slowCallDurationThreshold(policy.getTimeout())
                .slowCallRateThreshold(100)
                .waitDurationInOpenState(policy.getOpenFor())
                .permittedNumberOfCallsInHalfOpenState(policy.getHalfOpenCalls())
                .recordException(counts)
                .build();
        BulkheadConfig bulkhead = BulkheadConfig.custom()
                .maxConcurrentCalls(policy.getMaxConcurrent())
                .maxWaitDuration(policy.getMaxWait())
                .build();
        RetryConfig retry = RetryConfig.custom()
                .maxAttempts(policy.getMaxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.getBackoff(), 2.0, 0.5))
                .retryOnException(counts)
                .build();
        return new RemoteCall(name, policy, breakers.circuitBreaker(name, breaker),
                bulkheads.bulkhead(name, bulkhead), retries.retry(name, retry));
    }
}
