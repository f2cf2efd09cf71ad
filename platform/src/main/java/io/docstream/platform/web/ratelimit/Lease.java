package io.docstream.platform.web.ratelimit;

import java.time.Duration;

/**
 * What one instance holds of one key's budget for one endpoint class: requests already spent in Redis that it may
 * grant without asking again ({@code available}, valid until the lease expires), the requests asked of Redis by
 * calls under way ({@code pending}), when Redis last said the budget was spent, and the key's recent demand, which
 * sizes the next lease. Times are {@link System#nanoTime()} values. Every method is atomic (the lease's monitor);
 * none does I/O.
 *
 * <p>The lease size ({@link #target}) is the larger of the key's request counts in the current and the previous
 * 100 ms window, at least 1 and at most the cap. What this instance has or is about to get ({@code available +
 * pending}) is kept within the lease size: a refill asks only for the difference, and a request that finds the
 * lease empty while a refill is under way asks Redis for itself alone. So, beyond the one request each waiting
 * caller spends for itself, an instance never holds more than the cap of a key's budget.
 */
final class Lease {

    /** The window the key's demand is counted over. */
    static final long DEMAND_WINDOW_NANOS = Duration.ofMillis(100).toNanos();

    /**
     * The outcome of {@link #take}: a decision made from the lease (and, when {@code refill > 0}, a refill of that
     * many requests to ask Redis for without waiting), or, when {@code decision} is null, {@code cost} requests to
     * ask Redis for while the request waits (one for the request, the rest for the lease).
     */
    record Step(RateLimitDecision decision, int refill, int cost) {
    }

    private final long ttlNanos;
    private int available;
    private long expiresAt;
    private int pending;
    private boolean refilling;
    private boolean denied;
    private long deniedUntil;
    private long resetAt;
    private long windowStart;
    private int windowCount;
    private int previousCount;

    Lease(Duration ttl, long now) {
        this.ttlNanos = ttl.toNanos();
        this.windowStart = now;
        this.resetAt = now;
    }

    /**
     * Counts the request in the key's demand and decides it from the lease when it can: granted when a leased
     * request is left, refused while Redis's last answer says the budget is spent; otherwise says what to ask Redis.
     */
    synchronized Step take(long now, RateLimitProperties.Limit limit, int cap) {
        int target = observe(now, cap);
        expire(now);
        if (available > 0) {
            available--;
            int refill = 0;
            if (!refilling && available * 2 < target && !deniedAt(now)) {
                refill = target - available - pending;
                if (refill > 0) {
                    refilling = true;
                    pending += refill;
                } else {
                    refill = 0;
                }
            }
            return new Step(new RateLimitDecision(true, estimatedRemaining(now, limit), Duration.ZERO, reset(now),
                    RateLimitDecision.LEASE), refill, 0);
        }
        if (deniedAt(now)) {
            return new Step(new RateLimitDecision(false, 0, Duration.ofNanos(deniedUntil - now), reset(now),
                    RateLimitDecision.LEASE), 0, 0);
        }
        int cost = Math.max(1, target - pending);
        pending += cost;
        return new Step(null, 0, cost);
    }

    /**
     * Redis's answer to a request that waited for {@code cost} requests: the request takes one of those granted,
     * the lease the rest. Exact, as without leases, when {@code cost} is 1.
     */
    synchronized RateLimitDecision settle(long now, RedisRateLimiter.Grant grant, int cost) {
        pending -= cost;
        note(now, grant, cost);
        if (grant.granted() < 1) {
            return RateLimitDecision.of(0, 0, grant.waitMicros(), grant.resetMicros(), RateLimitDecision.REDIS);
        }
        add(now, grant.granted() - 1);
        return RateLimitDecision.of(1, grant.remaining() + available, 0, grant.resetMicros(), RateLimitDecision.REDIS);
    }

    /** A waiting request's call failed; the local limiter decides it. */
    synchronized void abandon(int cost) {
        pending -= cost;
    }

    /** Redis's answer to a refill of {@code cost} requests. */
    synchronized void refilled(long now, RedisRateLimiter.Grant grant, int cost) {
        pending -= cost;
        refilling = false;
        note(now, grant, cost);
        add(now, grant.granted());
    }

    /**
     * A refill failed or timed out. Redis may still have spent its requests, which are then lost: the limit only
     * gets stricter.
     */
    synchronized void refillFailed(int cost) {
        pending -= cost;
        refilling = false;
    }

    /** Leased requests this instance may still grant (for tests). */
    synchronized int available(long now) {
        expire(now);
        return available;
    }

    /** Requests asked of Redis by calls under way (for tests). */
    synchronized int pending() {
        return pending;
    }

    private int observe(long now, int cap) {
        long elapsed = now - windowStart;
        if (elapsed >= DEMAND_WINDOW_NANOS) {
            boolean adjacent = elapsed < 2 * DEMAND_WINDOW_NANOS;
            previousCount = adjacent ? windowCount : 0;
            windowStart = adjacent ? windowStart + DEMAND_WINDOW_NANOS : now;
            windowCount = 0;
        }
        if (windowCount < Integer.MAX_VALUE) {
            windowCount++;
        }
        return target(cap);
    }

    /** The lease size for the key's recent demand. */
    private int target(int cap) {
        return Math.max(1, Math.min(cap, Math.max(previousCount, windowCount)));
    }

    private void expire(long now) {
        if (available > 0 && now - expiresAt >= 0) {
            available = 0;
        }
    }

    private void add(long now, int granted) {
        if (granted > 0) {
            expire(now);
            available += granted;
            expiresAt = now + ttlNanos;
        }
    }

    private void note(long now, RedisRateLimiter.Grant grant, int cost) {
        resetAt = now + grant.resetMicros() * 1_000;
        // Fewer granted than asked: the budget is spent until one more request fits, whatever other instances do.
        denied = grant.granted() < cost;
        deniedUntil = now + grant.waitMicros() * 1_000;
    }

    private boolean deniedAt(long now) {
        return denied && now - deniedUntil < 0;
    }

    private Duration reset(long now) {
        return Duration.ofNanos(Math.max(0, resetAt - now));
    }

    /**
     * What Redis would have left for the key now if no other instance had spent any since its last answer (its
     * theoretical arrival time is {@code resetAt}), plus this lease's requests: an estimate, at most the burst.
     */
    private long estimatedRemaining(long now, RateLimitProperties.Limit limit) {
        long interval = limit.intervalMicros();
        long tolerance = interval * limit.burst();
        long inRedis = Math.max(0, (tolerance - Math.max(0, resetAt - now) / 1_000) / interval);
        return Math.min(limit.burst(), inRedis + available);
    }
}
