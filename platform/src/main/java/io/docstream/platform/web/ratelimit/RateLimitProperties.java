package io.docstream.platform.web.ratelimit;

import io.docstream.platform.tenancy.Scope;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.web.rate-limit.*}: how many requests one API key may make per endpoint class. The defaults
 * are far above what one client of a small deployment sends, so only a runaway client is ever limited; the
 * search default leaves room for the cached-search benchmark's target (half a bare server's rate, about
 * 10,000 requests per second on two cores).
 *
 * <p>With Redis, each instance leases a key's requests from Redis in batches and grants them without a round trip
 * (see {@link RateLimiter}). A key never gets more than its limit across instances: every request granted was first
 * spent in Redis. The cost is that a key may be refused early: at most (instances x the lease size) requests can
 * sit unused in leases of other instances, and requests still unused when a lease expires are lost. The lease size
 * follows the key's rate over the last 100 ms, from 1 (a quiet key: each request asks Redis, exactly as without
 * leases) up to {@code lease-max} and never more than a twentieth of the class's burst. The {@code RateLimit}
 * header's remaining and reset numbers of a request granted from a lease are estimated from Redis's last answer
 * minus this instance's spending since, so they ignore what other instances spent meanwhile.
 *
 * @param enabled      whether requests are limited at all
 * @param redisTimeout how long a request waits for Redis's verdict before this instance's own limiter decides
 *                     (Redis is then skipped for a second)
 * @param leaseMax     most requests of one key and endpoint class that one instance leases from Redis at once, to
 *                     grant without asking Redis (default 64; never more than a twentieth of the class's burst).
 *                     Up to (instances x lease-max) requests of a key may go unused in leases, so a key may be
 *                     refused that many requests early; 1 asks Redis for every granted request
 * @param leaseTtl     how long leased requests stay valid; those unused by then are lost (the limit only gets
 *                     stricter)
 * @param ingest  the limit of ingest endpoints (default 1,000 per second)
 * @param search  the limit of search and read endpoints (default 20,000 per second)
 * @param admin   the limit of admin endpoints (default 50 per second)
 */
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("100ms") Duration redisTimeout,
        @DefaultValue("64") Integer leaseMax, @DefaultValue("250ms") Duration leaseTtl, Limit ingest, Limit search,
        Limit admin) {

    static final int DEFAULT_LEASE_MAX = 64;
    static final Duration DEFAULT_LEASE_TTL = Duration.ofMillis(250);
    /** A lease never holds more than this fraction (1/n) of a class's burst. */
    static final int LEASE_BURST_FRACTION = 20;
    static final int DEFAULT_INGEST = 1_000;
    static final int DEFAULT_SEARCH = 20_000;
    static final int DEFAULT_ADMIN = 50;

    public RateLimitProperties {
        if (redisTimeout == null) {
            redisTimeout = Duration.ofMillis(100);
        }
        if (!redisTimeout.isPositive()) {
            throw new IllegalArgumentException("docstream.web.rate-limit.redis-timeout must be positive");
        }
        if (leaseMax == null) {
            leaseMax = DEFAULT_LEASE_MAX;
        }
        if (leaseMax < 1) {
            throw new IllegalArgumentException("docstream.web.rate-limit.lease-max must be at least 1");
        }
        if (leaseTtl == null) {
            leaseTtl = DEFAULT_LEASE_TTL;
        }
        if (!leaseTtl.isPositive()) {
            throw new IllegalArgumentException("docstream.web.rate-limit.lease-ttl must be positive");
        }
        ingest = Limit.orDefault(ingest, DEFAULT_INGEST, "ingest");
        search = Limit.orDefault(search, DEFAULT_SEARCH, "search");
        admin = Limit.orDefault(admin, DEFAULT_ADMIN, "admin");
    }

    /** Every limit at its default. */
    public static RateLimitProperties defaults() {
        return new RateLimitProperties(true, null, null, null, null, null, null);
    }

    /** The most requests of one key that one instance leases at once for a class (at least 1). */
    int leaseCap(Limit limit) {
        return Math.max(1, Math.min(leaseMax, limit.burst() / LEASE_BURST_FRACTION));
    }

    /** The limit of an endpoint class. */
    public Limit limit(Scope endpointClass) {
        return switch (endpointClass) {
            case INGEST -> ingest;
            case SEARCH -> search;
            case ADMIN, OPERATOR -> admin;
        };
    }

    /**
     * {@code requests} per {@code period} on average, with bursts of up to {@code burst} requests at once.
     *
     * @param requests how many requests a key may make per period (the class's default when unset)
     * @param period   the window the requests are counted over
     * @param burst    how many requests may come at once after a quiet spell ({@code requests} when unset)
     */
    public record Limit(Integer requests, @DefaultValue("1s") Duration period, Integer burst) {

        static Limit orDefault(Limit limit, int defaultRequests, String name) {
            Integer requests = limit == null || limit.requests() == null ? defaultRequests : limit.requests();
            Duration period = limit == null || limit.period() == null ? Duration.ofSeconds(1) : limit.period();
            Integer burst = limit == null || limit.burst() == null ? requests : limit.burst();
            String property = "docstream.web.rate-limit." + name;
            if (requests < 1) {
                throw new IllegalArgumentException(property + ".requests must be at least 1");
            }
            if (period.toNanos() < 1_000) {
                throw new IllegalArgumentException(property + ".period must be at least 1 microsecond");
            }
            if (burst < 1) {
                throw new IllegalArgumentException(property + ".burst must be at least 1");
            }
            return new Limit(requests, period, burst);
        }

        /** The time one request uses up of the budget, in microseconds (at least 1). */
        long intervalMicros() {
            return Math.max(1, period.toNanos() / 1_000 / requests);
        }

        /** The policy's window in whole seconds, as {@code RateLimit-Policy} states it (at least 1). */
        long windowSeconds() {
            return Math.max(1, (period.toMillis() + 999) / 1_000);
        }
    }
}
