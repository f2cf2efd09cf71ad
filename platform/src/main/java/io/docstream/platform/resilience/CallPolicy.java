package io.docstream.platform.resilience;

import java.time.Duration;

/**
 * How one kind of remote call is guarded, bound from {@code docstream.resilience.<call>.*} over the call's own
 * defaults (see {@link RemoteCalls#DEFAULTS}), so a deployment names only what it changes.
 * <ul>
 * <li>{@code timeout}: the longest one call may take. The client enforces it (the Hikari connection timeout, the
 * HTTP request timeout, the Kafka acknowledgement wait); a call slower than it counts against the breaker.
 * <li>{@code max-concurrent}, {@code max-wait}: the bulkhead; a call that finds it full after {@code max-wait}
 * is refused at once instead of queueing behind a slow dependency.
 * <li>{@code failure-rate-threshold} (percent), {@code sliding-window}, {@code minimum-calls}, {@code open-for},
 * {@code half-open-calls}: the circuit breaker; it opens when that share of the last {@code sliding-window}
 * calls (at least {@code minimum-calls}) failed or were slow, refuses calls for {@code open-for}, then lets
 * {@code half-open-calls} trial calls through.
 * <li>{@code max-attempts}, {@code backoff}: retries, for idempotent calls only; the pause before the second
 * attempt is {@code backoff}, doubling after each, each pause drawn within ±50 % of its value.
 * </ul>
 */
public final class CallPolicy {

    private Duration timeout;
    private int maxConcurrent;
    private Duration maxWait;
    private int failureRateThreshold = 50;
    private int slidingWindow = 20;
    private int minimumCalls = 10;
    private Duration openFor;
    private int halfOpenCalls = 3;
    private int maxAttempts;
    private Duration backoff = Duration.ofMillis(100);

    public CallPolicy() {
    }

    CallPolicy(Duration timeout, int maxConcurrent, Duration maxWait, Duration openFor, int maxAttempts) {
        this.timeout = timeout;
        this.maxConcurrent = maxConcurrent;
        this.maxWait = maxWait;
        this.openFor = openFor;
        this.maxAttempts = maxAttempts;
    }

    CallPolicy copy() {
        CallPolicy copy = new CallPolicy(timeout, maxConcurrent, maxWait, openFor, maxAttempts);
        copy.failureRateThreshold = failureRateThreshold;
        copy.slidingWindow = slidingWindow;
        copy.minimumCalls = minimumCalls;
        copy.halfOpenCalls = halfOpenCalls;
        copy.backoff = backoff;
        return copy;
    }

    /** @throws IllegalArgumentException naming the property that is out of range */
    void validate(String call) {
        String prefix = "docstream.resilience." + call + ".";
        require(timeout != null && timeout.isPositive(), prefix + "timeout must be positive");
        require(maxConcurrent >= 1, prefix + "max-concurrent must be at least 1");
        require(maxWait != null && !maxWait.isNegative(), prefix + "max-wait must not be negative");
        require(failureRateThreshold >= 1 && failureRateThreshold <= 100,
                prefix + "failure-rate-threshold must be 1 to 100");
        require(slidingWindow >= 1, prefix + "sliding-window must be at least 1");
        require(minimumCalls >= 1, prefix + "minimum-calls must be at least 1");
        require(openFor != null && openFor.isPositive(), prefix + "open-for must be positive");
        require(halfOpenCalls >= 1, prefix + "half-open-calls must be at least 1");
        require(maxAttempts >= 1, prefix + "max-attempts must be at least 1");
        require(backoff != null && backoff.isPositive(), prefix + "backoff must be positive");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public int getFailureRateThreshold() {
        return failureRateThreshold;
    }

    public void setFailureRateThreshold(int failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    public int getSlidingWindow() {
        return slidingWindow;
    }

    public void setSlidingWindow(int slidingWindow) {
        this.slidingWindow = slidingWindow;
    }

    public int getMinimumCalls() {
        return minimumCalls;
    }

    public void setMinimumCalls(int minimumCalls) {
        this.minimumCalls = minimumCalls;
    }

    public Duration getOpenFor() {
        return openFor;
    }

    public void setOpenFor(Duration openFor) {
        this.openFor = openFor;
    }

    public int getHalfOpenCalls() {
        return halfOpenCalls;
    }

    public void setHalfOpenCalls(int halfOpenCalls) {
        this.halfOpenCalls = halfOpenCalls;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getBackoff() {
        return backoff;
    }

    public void setBackoff(Duration backoff) {
        this.backoff = backoff;
    }
}
