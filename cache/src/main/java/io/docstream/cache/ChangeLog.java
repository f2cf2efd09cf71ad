package io.docstream.cache;

import io.docstream.platform.redis.LuaScript;
import io.docstream.platform.redis.Redis;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tenants' change histories in Redis, written by the invalidator and read by every query API. Each change
 * evicts its document's keys, moves the tenant's search generation and appends {@code generation:previous:document}
 * to the tenant's sorted set ({@link CacheKeys#changes}), all in one script, so a reader that sees a generation
 * finds the change that made it. The set keeps changes for {@code retention} and at most {@code maxEntries}.
 * The new generation is {@code max(current + 1, nowMicros)}: it only grows, and a Redis that lost its data never
 * hands out a generation that was already used, since generations are never behind the clock. The script's keys all
 * carry the tenant's hash tag ({@link CacheKeys#tenantPrefix}), so it runs on a Redis Cluster too, and it counts as
 * done only once {@code docstream.redis.wait-replicas} replicas hold it ({@link Redis#executeReplicated}): a failover
 * never loses a recorded change.
 */
public final class ChangeLog {

    /**
     * KEYS[1] the generation, KEYS[2] the change set, KEYS[3..] keys to delete; ARGV[1] now in microseconds, ARGV[2]
     * the document (empty: a change that cannot be described), ARGV[3] retention in microseconds, ARGV[4] most
     * entries kept. Generations stay decimal integer strings (Lua numbers are doubles, exact up to 2^53, far above
     * any microsecond timestamp; string.format keeps them out of exponent form).
     */
    private static final LuaScript RECORD = new LuaScript("""
            local previous = redis.call('GET', KEYS[1]) or '0'
            local current = tonumber(previous)
            local generation
            if tonumber(ARGV[1]) > current then
              redis.call('SET', KEYS[1], ARGV[1])
              generation = tonumber(ARGV[1])
            else
              generation = redis.call('INCR', KEYS[1])
            end
            local text = string.format('%.0f', generation)
            redis.call('ZADD', KEYS[2], text, text .. ':' .. string.format('%.0f', current) .. ':' .. ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%.0f', tonumber(ARGV[1]) - tonumber(ARGV[3])))
            redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -tonumber(ARGV[4]) - 1)
            redis.call('PEXPIRE', KEYS[2], math.floor(tonumber(ARGV[3]) / 1000))
            for i = 3, #KEYS do
              redis.call('DEL', KEYS[i])
            end
            return {generation, current}
            """);

    private final Redis redis;

    public ChangeLog(Redis redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    /**
     * Records a change of {@code documentId} (null: one that cannot be described), deleting {@code evict}, and
     * returns it: the tenant's generation before and after. Recording again (after a failure) is harmless: it is
     * one more change of the same document.
     *
     * @throws io.docstream.platform.redis.RedisUnavailableException when Redis cannot run the script, or too few
     *         replicas acknowledged it
     * @throws IllegalArgumentException when a key to evict is not one of the tenant's
     */
    public TenantChanges.Change record(String tenant, String documentId, List<String> evict, Instant now,
            Duration retention, int maxEntries) {
        String generation = CacheKeys.generation(tenant);
        List<String> keys = new ArrayList<>(List.of(generation, CacheKeys.changes(tenant)));
        String tenantPrefix = CacheKeys.tenantPrefix(tenant);
        for (String key : evict) {
            if (!key.startsWith(tenantPrefix)) {
                throw new IllegalArgumentException("not a key of tenant " + tenant + ": " + key);
            }
            keys.add(key);
        }
        byte[][] args = {ascii(ChronoUnit.MICROS.between(Instant.EPOCH, now)),
                (documentId == null ? "" : documentId).getBytes(StandardCharsets.UTF_8),
                ascii(Math.max(1, retention.toNanos() / 1000)), ascii(Math.max(1, maxEntries))};
        List<Object> result = redis.executeReplicated(generation, commands -> RECORD.run(commands,
                ScriptOutputType.MULTI, keys.toArray(String[]::new), args));
        return new TenantChanges.Change((Long) result.get(0), (Long) result.get(1), documentId);
    }

    /**
     * The tenant's changes to generations after {@code after}, oldest first.
     *
     * @throws io.docstream.platform.redis.RedisUnavailableException when Redis cannot answer
     */
    public List<TenantChanges.Change> read(String tenant, long after) {
        List<byte[]> members = redis.execute(commands -> commands.zrangebyscore(CacheKeys.changes(tenant),
                Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded())));
        List<TenantChanges.Change> changes = new ArrayList<>(members.size());
        for (byte[] member : members) {
            TenantChanges.Change change = decode(new String(member, StandardCharsets.UTF_8));
            if (change != null && change.generation() > after) {
                changes.add(change);
            }
        }
        return changes;
    }

    /** {@code generation:previous:document}; null for anything else. */
    static TenantChanges.Change decode(String member) {
        String[] parts = member.split(":", 3);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new TenantChanges.Change(Generations.parse(parts[0].getBytes(StandardCharsets.US_ASCII)),
                    Generations.parse(parts[1].getBytes(StandardCharsets.US_ASCII)),
                    parts[2].isEmpty() ? null : parts[2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
