package io.docstream.core.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.redis.*}: where the shared cache (L2) lives and how quickly to give up on it.
 *
 * @param uri            the Redis server, e.g. {@code redis://localhost:6379}
 * @param commandTimeout how long one command (and a connect) may take before it counts as a failure
 * @param retryInterval  after a failure, how long callers skip Redis before trying it again
 */
@ConfigurationProperties("docstream.redis")
public record RedisProperties(
        @DefaultValue("redis://localhost:6379") String uri,
        @DefaultValue("250ms") Duration commandTimeout,
        @DefaultValue("1s") Duration retryInterval) {
}
