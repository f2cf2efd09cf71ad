package io.docstream.platform.web.ratelimit;

import io.docstream.platform.redis.LuaScript;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The limiter shared by every instance: the generic cell rate algorithm (GCRA) in one Lua script, so checking
 * and spending a key's budget is one atomic round trip. One call may spend several requests at once (a lease,
 * see {@link RateLimiter}): it grants as many of them as the budget allows, possibly fewer, possibly none. The
 * clock is the Redis server's ({@code TIME}), so instances with skewed clocks share one budget fairly. Each key
 * holds its theoretical arrival time in microseconds and expires once its budget is full again. An answer slower
 * than {@code timeout} counts as a failure, after which Redis is skipped for {@code retryInterval}: a slow Redis
 * delays a request by at most the timeout, once per interval. Calls are made either synchronously (a request
 * waits) or asynchronously (Lettuce's async API; nobody waits, the answer tops up a lease).
 */
final class RedisRateLimiter {

    /**
     * The Redis key of a limited key: {@code ds:rl:{<limited key>}}, a hash tag of its own so each key's budget can
     * live on any node of a Redis Cluster (the script touches that one key). Keys of the older {@code ds:rl:<key>}
     * form are no longer read and expire once their budget is full again (seconds).
     */
    static String key(String limited) {
        return "ds:rl:{" + limited + "}";
    }

    // ARGV: interval in us, burst, cost (how many requests to spend). Returns {granted, remaining, wait in us,
    // reset in us}: granted of the cost were spent, remaining more would fit now, wait is how long until one
    // more fits (0 when remaining > 0), reset how long until the whole budget is back. Numbers are formatted
    // explicitly: Lua's default number-to-string conversion would round a microsecond timestamp.
    private static final String GCRA_SOURCE = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local interval = tonumber(ARGV[1])
            local tolerance = interval * tonumber(ARGV[2])
            local cost = tonumber(ARGV[3])
            local stored = redis.call('GET', KEYS[1])
            local tat = stored and tonumber(stored) or now
            if tat < now then tat = now end
            local fit = math.floor((now + tolerance - tat) / interval)
            if fit < 0 then fit = 0 end
            local granted = math.min(cost, fit)
            if granted < 1 then
              return {0, 0, tat + interval - tolerance - now, tat - now}
            end
            local next = tat + granted * interval
            redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000))
            local wait = next + interval - tolerance - now
            if wait < 0 then wait = 0 end
            return {granted, fit - granted, wait, next - now}
            """;
    static final LuaScript GCRA = new LuaScript(GCRA_SOURCE);

    /**
     * Redis's answer to spending {@code cost} requests of a key's budget.
     *
     * @param granted       how many of them were spent (0 to cost)
     * @param remaining     how many more would have fitted right then
     * @param waitMicros    how long until one more request fits (0 while {@code remaining > 0})
     * @param resetMicros   how long until the whole budget is back
     */
    record Grant(int granted, long remaining, long waitMicros, long resetMicros) {
    }

    private final Redis redis;
    private final Duration timeout;
    private final Duration retryInterval;
    private final LongAdder syncCalls = new LongAdder();
    private final LongAdder asyncCalls = new LongAdder();
    private volatile long skipUntilNanos = System.nanoTime();

    RedisRateLimiter(Redis redis, Duration timeout, Duration retryInterval) {
        this.redis = redis;
        this.timeout = timeout;
        this.retryInterval = retryInterval;
    }

    /**
     * Spends up to {@code cost} requests, waiting for the answer.
     *
     * @throws RedisUnavailableException when Redis is down, slower than the timeout, or being skipped
     */
    Grant acquire(String key, RateLimitProperties.Limit limit, int cost) {
        checkNotSkipped();
        String[] keys = { key(key) };
        byte[][] args = arguments(limit, cost);
        List<Object> reply = redis.execute(commands -> {
            syncCalls.increment();
            try {
                return GCRA.<List<Object>>run(commands, timeout, ScriptOutputType.MULTI, keys, args);
            } catch (TimeoutException e) {
                throw timedOut(e);
            }
        });
        return grant(reply);
    }

    /**
     * Spends up to {@code cost} requests without waiting: the answer completes the future (on a Lettuce thread),
     * within the timeout or with a {@link RedisUnavailableException}. Never throws.
     */
    CompletableFuture<Grant> acquireAsync(String key, RateLimitProperties.Limit limit, int cost) {
        CompletableFuture<List<Object>> reply;
        try {
            checkNotSkipped();
            String[] keys = { key(key) };
            byte[][] args = arguments(limit, cost);
            reply = redis.execute(commands -> {
                asyncCalls.increment();
                return GCRA.<List<Object>>runAsync(commands, ScriptOutputType.MULTI, keys, args);
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).handle((answer, failure) -> {
            if (failure == null) {
                return grant(answer);
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof TimeoutException timeoutException) {
                throw timedOut(timeoutException);
            }
            throw cause instanceof RuntimeException runtime ? runtime
                    : new RedisUnavailableException("Redis failed: " + cause, cause);
        });
    }

    /** Calls that made a request wait for Redis (sent, whatever their outcome). */
    long syncCalls() {
        return syncCalls.sum();
    }

    /** Calls whose answer nobody waited for (sent, whatever their outcome). */
    long asyncCalls() {
        return asyncCalls.sum();
    }

    private void checkNotSkipped() {
        if (System.nanoTime() - skipUntilNanos < 0) {
            throw new RedisUnavailableException("Redis skipped for rate limits after a slow answer", null);
        }
    }

    private RedisUnavailableException timedOut(TimeoutException e) {
        skipUntilNanos = System.nanoTime() + retryInterval.toNanos();
        return new RedisUnavailableException("Redis answered no rate limit within " + timeout.toMillis() + " ms", e);
    }

    private static byte[][] arguments(RateLimitProperties.Limit limit, int cost) {
        return new byte[][] { bytes(limit.intervalMicros()), bytes(limit.burst()), bytes(cost) };
    }

    private static Grant grant(List<Object> reply) {
        return new Grant((int) number(reply, 0), number(reply, 1), number(reply, 2), number(reply, 3));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static long number(List<Object> reply, int index) {
        return ((Number) reply.get(index)).longValue();
    }

    private static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
