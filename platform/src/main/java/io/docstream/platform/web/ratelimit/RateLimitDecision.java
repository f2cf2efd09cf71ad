package io.docstream.platform.web.ratelimit;

import java.time.Duration;

/**
 * One request's verdict.
 *
 * @param allowed    whether the request may go on
 * @param remaining  how many more requests the key may make right now (an estimate when decided from a lease)
 * @param retryAfter when refused, how long until the next request is allowed (zero when allowed)
 * @param reset      how long until the key's whole budget is back
 * @param backend    who decided: {@code redis} (Redis was asked for this request; the budget is shared by every
 *                   instance), {@code lease} (this instance, from requests it leased from Redis before or from
 *                   Redis's last answer that the budget is spent; still the shared budget) or {@code local} (this
 *                   instance's own limiter, while Redis cannot be asked)
 */
record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter, Duration reset, String backend) {

    static final String REDIS = "redis";
    static final String LEASE = "lease";
    static final String LOCAL = "local";

    /** The verdict of the generic cell rate algorithm given times in microseconds, as both limiters compute it. */
    static RateLimitDecision of(long allowed, long remaining, long retryAfterMicros, long resetMicros, String backend) {
        return new RateLimitDecision(allowed == 1, Math.max(0, remaining), Duration.ofNanos(retryAfterMicros * 1_000),
                Duration.ofNanos(Math.max(0, resetMicros) * 1_000), backend);
    }
}
