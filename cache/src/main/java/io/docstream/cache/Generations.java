package io.docstream.cache;

import io.docstream.platform.redis.LuaScript;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;

import io.lettuce.core.ScriptOutputType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Reads tenants' search generations from Redis and stores cache entries conditionally on them. A
 * missing generation is initialised to the current time in microseconds (SET NX), so a Redis that lost
 * its data never hands out a generation that was already used. A conditional store writes only while
 * the generation is still the one read before the value was computed, so a value computed before an
 * invalidation is never stored after it. The stored key must be one of the tenant's ({@link CacheKeys#tenantPrefix}),
 * so it shares the generation's Redis Cluster slot and one script can check the one and write the other.
 */
public final class Generations {

    private static final LuaScript INIT = new LuaScript("""
            local current = redis.call('GET', KEYS[1])
            if current then return current end
            redis.call('SET', KEYS[1], ARGV[1], 'NX')
            return redis.call('GET', KEYS[1])
            """);

    private static final LuaScript STORE_IF_GENERATION = new LuaScript("""
            local current = redis.call('GET', KEYS[1])
            if current and tonumber(current) == tonumber(ARGV[1]) then
              redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0
            """);

    private final Redis redis;
    private final Clock clock;

    public Generations(Redis redis) {
        this(redis, Clock.systemUTC());
    }

    Generations(Redis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /**
     * The tenant's current search generation (one GET; a script initialises it when missing).
     *
     * @throws RedisUnavailableException when Redis cannot answer
     */
    public long current(String tenant) {
        String key = CacheKeys.generation(tenant);
        return redis.execute(commands -> {
            byte[] value = commands.get(key);
            if (value == null) {
                value = INIT.run(commands, ScriptOutputType.VALUE, new String[] { key }, ascii(nowMicros()));
            }
            return parse(value);
        });
    }

    /**
     * Stores {@code value} under {@code key} for {@code ttlMillis} only if the tenant's generation is
     * still {@code generation}; true when stored.
     *
     * @throws RedisUnavailableException when Redis cannot answer
     * @throws IllegalArgumentException when {@code key} is not one of the tenant's
     */
    public boolean storeIfCurrent(String tenant, long generation, String key, byte[] value, long ttlMillis) {
        String generationKey = CacheKeys.generation(tenant);
        if (!key.startsWith(CacheKeys.tenantPrefix(tenant))) {
            throw new IllegalArgumentException("not a key of tenant " + tenant + ": " + key);
        }
        Long stored = redis.execute(commands -> STORE_IF_GENERATION.run(commands, ScriptOutputType.INTEGER,
                new String[] { generationKey, key }, ascii(generation), value, ascii(Math.max(1, ttlMillis))));
        return stored != null && stored == 1L;
    }

    long nowMicros() {
        Instant now = clock.instant();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Lua turns big numbers into "1.7e+15" when a script forgets string.format; accept both forms. */
    static long parse(byte[] value) {
        String text = new String(value, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return new BigDecimal(text).longValue();
        }
    }
}
