package io.docstream.platform.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One kind of remote call behind its bulkhead and circuit breaker, and, when the call is idempotent, its retry.
 * A refused call ({@link #refused(Throwable)}: the breaker is open or the bulkhead full) fails at once without
 * reaching the dependency and is never retried. Only failures the call's predicate calls transient count
 * against the breaker or are retried: a dependency that rejects one request's data is not unhealthy.
 */
public final class RemoteCall {

    private final String name;
    private final CallPolicy policy;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final Retry retry;

    RemoteCall(String name, CallPolicy policy, CircuitBreaker breaker, Bulkhead bulkhead, Retry retry) {
        this.name = name;
        this.policy = policy;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.retry = retry;
    }

    public String name() {
        return name;
    }

    public CallPolicy policy() {
        return policy;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Runs a call that must not be repeated (a send that is not idempotent): bulkhead and breaker only. */
    public <T> T call(Supplier<T> call) {
        return CircuitBreaker.decorateSupplier(breaker, Bulkhead.decorateSupplier(bulkhead, call)).get();
    }

    /** As {@link #call(Supplier)}; a refused call fails with what {@code refusal} makes of the refusal. */
    public <T> T call(Supplier<T> call, Function<RuntimeException, RuntimeException> refusal) {
        return translatingRefusals(() -> call(call), refusal);
    }

    /** Runs an idempotent call: as {@link #call} and retried on transient failures with backoff and jitter. */
    public <T> T callIdempotent(Supplier<T> call) {
        return Retry.decorateSupplier(retry, () -> call(call)).get();
    }

    /** As {@link #callIdempotent(Supplier)}; a refused call fails with what {@code refusal} makes of the refusal. */
    public <T> T callIdempotent(Supplier<T> call, Function<RuntimeException, RuntimeException> refusal) {
        return translatingRefusals(() -> callIdempotent(call), refusal);
    }

    private static <T> T translatingRefusals(Supplier<T> guarded,
            Function<RuntimeException, RuntimeException> refusal) {
        try {
            return guarded.get();
        } catch (RuntimeException e) {
            throw refused(e) ? refusal.apply(e) : e;
        }
    }

    /** True when {@code failure} is a call this guard refused without trying it. */
    public static boolean refused(Throwable failure) {
        return failure instanceof CallNotPermittedException || failure instanceof BulkheadFullException;
    }
}
