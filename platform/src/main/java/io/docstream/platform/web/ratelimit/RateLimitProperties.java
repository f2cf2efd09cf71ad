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
 * @param enabled      whether requests are limited at all
 * @param redisTimeout how long a request waits for Redis's verdict before this instance's own limiter decides
 *                     (Redis is then skipped for a second)
 * @param ingest  the limit of ingest endpoints (default 1,000 per second)
 * @param search  the limit of search and read endpoints (default 20,000 per second)
 * @param admin   the limit of admin endpoints (default 50 per second)
 */
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("100ms") Duration redisTimeout,
        Limit ingest, Limit search, Limit admin) {

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
        ingest = Limit.orDefault(ingest, DEFAULT_INGEST, "ingest");
        search = Limit.orDefault(search, DEFAULT_SEARCH, "search");
        admin = Limit.orDefault(admin, DEFAULT_ADMIN, "admin");
    }

    /** Every limit at its default. */
    public static RateLimitProperties defaults() {
        return new RateLimitProperties(true, null, null, null, null);
    }

    /** The limit of an endpoint class. */
    public Limit limit(Scope endpointClass) {
        return switch (endpointClass) {
            case INGEST -> ingest;
            case SEARCH -> search;
            case ADMIN -> admin;
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
