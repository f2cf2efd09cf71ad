package io.docstream.platform.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.redis.*}: where the shared cache (L2) lives and how quickly to give up on it.
 *
 * @param uri            the Redis server, e.g. {@code redis://localhost:6379}
 * @param commandTimeout how long one command may take before it counts as a failure
 * @param connectTimeout how long opening a connection (TCP and the handshake) may take; longer than a command,
 *                       since a loaded machine can be slow to accept one and a failed connect costs a whole
 *                       {@code retryInterval}
 * @param retryInterval  after a failure, how long callers skip Redis before trying it again
 * @param maxConcurrent  most commands waiting on Redis at once; more are refused at once (the cache degrades)
 * @param password       the server's password ({@code requirepass}), if any; in production from
 *                       {@code DOCSTREAM_REDIS_PASSWORD_FILE}. A password in {@code uri} also works; this
 *                       one wins. Use a {@code rediss://} URI for TLS.
 */
@ConfigurationProperties("docstream.redis")
public record RedisProperties(
        @DefaultValue("redis://localhost:6379") String uri,
        @DefaultValue("250ms") Duration commandTimeout,
        @DefaultValue("1s") Duration retryInterval,
        String password,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("64") int maxConcurrent) {

    @ConstructorBinding
    public RedisProperties {
        if (connectTimeout == null) {
            connectTimeout = commandTimeout;
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("docstream.redis.max-concurrent must be at least 1");
        }
    }

    public RedisProperties(String uri, Duration commandTimeout, Duration retryInterval, String password,
            Duration connectTimeout) {
        this(uri, commandTimeout, retryInterval, password, connectTimeout, Redis.MAX_CONCURRENT);
    }

    /** Settings whose connect timeout is the command timeout. */
    public RedisProperties(String uri, Duration commandTimeout, Duration retryInterval, String password) {
        this(uri, commandTimeout, retryInterval, password, commandTimeout);
    }

    @Override
    public String toString() {
        return "RedisProperties[uri=" + RedisURI.create(uri).toString() + ", commandTimeout=" + commandTimeout
                + ", retryInterval=" + retryInterval + ", connectTimeout=" + connectTimeout
                + ", maxConcurrent=" + maxConcurrent + ", password=" + (password == null ? "none" : "(secret)") + "]";
    }
}
