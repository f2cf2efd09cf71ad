package io.docstream.core.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one way the services talk to Redis: string keys, byte values, and a tiny circuit. The connection
 * is opened on first use (so a service starts while Redis is down) and reconnects by itself; while it is
 * disconnected Lettuce rejects commands at once instead of queueing them. After any failure the caller
 * skips Redis for {@code retry-interval}, so a dead Redis costs a request at most one timeout per interval.
 */
public class Redis implements AutoCloseable {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final Duration retryInterval;
    private final Clock clock;
    private final Counter timeouts;
    private final Counter connectionErrors;
    private final Counter commandErrors;
    private final Object connectLock = new Object();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile long skipUntilMillis;
    private volatile boolean closed;

    public Redis(RedisClient client, Duration retryInterval, MeterRegistry meters) {
        this(client, retryInterval, meters, Clock.systemUTC());
    }

    Redis(RedisClient client, Duration retryInterval, MeterRegistry meters, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
        this.clock = clock;
        MeterRegistry registry = meters != null ? meters : new CompositeMeterRegistry();
        this.timeouts = errors(registry, "timeout");
        this.connectionErrors = errors(registry, "connection");
        this.commandErrors = errors(registry, "command");
    }

    private static Counter errors(MeterRegistry registry, String kind) {
        return Counter.builder("docstream.redis.errors")
                .description("Redis commands that failed or were skipped after a failure")
                .tag("kind", kind)
                .register(registry);
    }

    /**
     * Runs commands against Redis.
     *
     * @throws RedisUnavailableException when Redis fails, is too slow, or is skipped after a recent failure
     */
    public <T> T execute(Function<RedisCommands<String, byte[]>, T> commands) {
        if (closed) {
            throw new RedisUnavailableException("Redis client is closed", null);
        }
        if (!available()) {
            throw new RedisUnavailableException("Redis skipped after a recent failure", null);
        }
        try {
            return commands.apply(connection().sync());
        } catch (RedisException e) {
            fail(e);
            throw new RedisUnavailableException("Redis failed: " + e.getMessage(), e);
        }
    }

    /** False while callers skip Redis after a recent failure. */
    public boolean available() {
        return clock.millis() >= skipUntilMillis;
    }

    private void fail(RedisException e) {
        skipUntilMillis = clock.millis() + retryInterval.toMillis();
        if (e instanceof RedisCommandTimeoutException) {
            timeouts.increment();
        } else if (e instanceof RedisConnectionException) {
            connectionErrors.increment();
        } else {
            commandErrors.increment();
        }
    }

    private StatefulRedisConnection<String, byte[]> connection() {
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (connectLock) {
            if (connection == null) {
                connection = client.connect(CODEC);
            }
            return connection;
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (connectLock) {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
