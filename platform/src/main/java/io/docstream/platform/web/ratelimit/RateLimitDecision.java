package io.docstream.platform.web.ratelimit;

import java.time.Duration;

/**
 * One request's verdict.
 *
 * @param allowed    whether the request may go on
 * @param remaining  how many more requests the key may make right now
 * @param retryAfter when refused, how long until the next request is allowed (zero when allowed)
 * @param reset      how long until the key's whole budget is back
 * @param backend    where the budget is kept: {@code redis} (shared by every instance) or {@code local}
 */
record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter, Duration reset, String backend) {

    static final String REDIS = "redis";
    static final String LOCAL = "local";

    /** The verdict of the generic cell rate algorithm given times in microseconds, as both backends compute it. */
    static RateLimitDecision of(long allowed, long remaining, long retryAfterMicros, long resetMicros, String backend) {
        return new RateLimitDecision(allowed == 1, Math.max(0, remaining), Duration.ofNanos(retryAfterMicros * 1_000),
                Duration.ofNanos(Math.max(0, resetMicros) * 1_000), backend);
    }
}
