package io.docstream.invalidator.invalidation;

import io.docstream.cache.CacheKeys;
import io.docstream.platform.redis.LuaScript;
import io.docstream.platform.redis.Redis;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Evicts one document version from the shared cache (L2) and moves its tenant's search generation, in one
 * Lua script so no reader sees one without the other. The new generation is {@code max(current + 1,
 * nowMicros)}: it only grows, and a Redis that lost its data (restart without persistence) never hands
 * out a generation that was already used, since generations are never behind the clock.
 */
final class CacheEviction {

    /**
     * KEYS[1] the generation, KEYS[2..] the keys to delete; ARGV[1] now in microseconds. The stored value
     * stays a decimal integer string (SET of ARGV or INCR), the form query-api's {@code Generations}
     * reads; Lua numbers are doubles, exact up to 2^53, far above any microsecond timestamp.
     */
    private static final LuaScript SCRIPT = new LuaScript("""
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local generation
            if tonumber(ARGV[1]) > current then
              redis.call('SET', KEYS[1], ARGV[1])
              generation = tonumber(ARGV[1])
            else
              generation = redis.call('INCR', KEYS[1])
            end
            for i = 2, #KEYS do
              redis.call('DEL', KEYS[i])
            end
            return generation
            """);

    private final Redis redis;

    CacheEviction(Redis redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    /**
     * Returns the tenant's new search generation.
     *
     * @throws io.docstream.platform.redis.RedisUnavailableException when Redis cannot run the script
     */
    long evict(String tenant, String documentId, Instant now) {
        String[] keys = {CacheKeys.generation(tenant), CacheKeys.document(tenant, documentId)};
        byte[] nowMicros = Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, now))
                .getBytes(StandardCharsets.US_ASCII);
        Long generation = redis.execute(commands -> SCRIPT.run(commands, ScriptOutputType.INTEGER, keys, nowMicros));
        return generation;
    }
}
