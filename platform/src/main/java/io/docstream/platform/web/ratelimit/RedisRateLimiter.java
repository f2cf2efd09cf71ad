package io.docstream.platform.web.ratelimit;

import io.docstream.platform.redis.LuaScript;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The limiter shared by every instance: the generic cell rate algorithm (GCRA) in one Lua script, so checking
 * and spending a key's budget is one atomic round trip. The clock is the Redis server's ({@code TIME}), so
 * instances with skewed clocks share one budget fairly. Each key holds its theoretical arrival time in
 * microseconds and expires once its budget is full again. An answer slower than {@code timeout} counts as a
 * failure, after which Redis is skipped for {@code retryInterval}: a slow Redis delays a request by at most the
 * timeout, once per interval.
 */
final class RedisRateLimiter {

    static final String KEY_PREFIX = "ds:rl:";

    // Returns {allowed, remaining, retry after in us, reset in us}. Numbers are formatted explicitly: Lua's
    // default number-to-string conversion would round a microsecond timestamp.
    static final LuaScript GCRA = new LuaScript("""
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local interval = tonumber(ARGV[1])
            local tolerance = interval * tonumber(ARGV[2])
            local stored = redis.call('GET', KEYS[1])
            local tat = stored and tonumber(stored) or now
            if tat < now then tat = now end
            local next = tat + interval
            local allow_at = next - tolerance
            if now < allow_at then
              return {0, 0, allow_at - now, tat - now}
            end
            redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000))
            return {1, math.floor((now - allow_at) / interval), 0, next - now}
            """);

    private final Redis redis;
    private final Duration timeout;
    private final Duration retryInterval;
    private volatile long skipUntilNanos = System.nanoTime();

    RedisRateLimiter(Redis redis, Duration timeout, Duration retryInterval) {
        this.redis = redis;
        this.timeout = timeout;
        this.retryInterval = retryInterval;
    }

    /** @throws RedisUnavailableException when Redis is down, slower than the timeout, or being skipped */
    RateLimitDecision acquire(String key, RateLimitProperties.Limit limit) {
        if (System.nanoTime() - skipUntilNanos < 0) {
            throw new RedisUnavailableException("Redis skipped for rate limits after a slow answer", null);
        }
        String[] keys = { KEY_PREFIX + key };
        byte[][] args = { bytes(limit.intervalMicros()), bytes(limit.burst()) };
        List<Object> reply = redis.execute(commands -> {
            try {
                return GCRA.<List<Object>>run(commands, timeout, ScriptOutputType.MULTI, keys, args);
            } catch (TimeoutException e) {
                skipUntilNanos = System.nanoTime() + retryInterval.toNanos();
                throw new RedisUnavailableException(
                        "Redis answered no rate limit within " + timeout.toMillis() + " ms", e);
            }
        });
        return RateLimitDecision.of(number(reply, 0), number(reply, 1), number(reply, 2), number(reply, 3),
                RateLimitDecision.REDIS);
    }

    private static long number(List<Object> reply, int index) {
        return ((Number) reply.get(index)).longValue();
    }

    private static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
