package io.docstream.platform.health;

import io.docstream.platform.redis.Redis;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Redis is up when a PING through the service's own client answers. That client skips Redis for a moment after
 * a failure, so a check right after one reports down without waiting; the next check after the retry interval
 * tries again.
 */
public final class RedisHealthIndicator implements HealthIndicator {

    private final Redis redis;
    private final Duration timeout;

    public RedisHealthIndicator(Redis redis, Duration timeout) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Health health() {
        return DependencyCheck.run(timeout, () -> Map.of("ping", redis.execute(commands -> commands.ping())));
    }
}
