package io.docstream.query.cache;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.CacheKeys;
import io.docstream.cache.Generations;
import io.docstream.cache.TwoLevelCache;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.docstream.schemas.events.CacheInvalidated;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The query API's caches and the tenants' search generations they are bound to. Every read starts
 * with the tenant's generation from Redis; when Redis cannot answer, the last generation this process
 * knows (from its own reads and from the invalidation stream) is used and the answer is marked
 * degraded, with L2 left alone until Redis answers again.
 */
public final class QueryCaches {

    /** The {@code degraded} entry of answers given without the shared cache. */
    public static final String DEGRADED = "cache";
    static final String SEARCH = "search";

    private final Redis redis;
    private final Generations generations;
    private final CacheProperties properties;
    private final MeterRegistry meters;
    private final Map<String, Long> known = new ConcurrentHashMap<>();
    private final List<Registered> caches = new CopyOnWriteArrayList<>();
    private final Supplier<String> indexTarget;
    private final List<Consumer<String>> invalidationListeners = new CopyOnWriteArrayList<>();

    QueryCaches(Redis redis, CacheProperties properties, MeterRegistry meters, Supplier<String> indexTarget) {
        this.redis = redis;
        this.indexTarget = indexTarget;
        this.generations = new Generations(redis);
        this.properties = properties;
        this.meters = meters;
    }

    /** The tenant's search generation, and whether it came from Redis (so L2 may be used). */
    public record Generation(long value, boolean shared) {
    }

    public CacheProperties properties() {
        return properties;
    }

    /** Reads the tenant's generation (one Redis GET); falls back to the last known one when Redis fails. */
    public Generation generation(String tenant) {
        try {
            long current = generations.current(tenant);
            return new Generation(raise(tenant, current), true);
        } catch (RedisUnavailableException e) {
            return new Generation(known.getOrDefault(tenant, 0L), false);
        }
    }

    /**
     * The cache key of a search answer under the tenant's generation and the index target served from now,
     * so answers of a target the alias has left are never served again.
     */
    public String searchKey(String tenant, Generation generation, String normalizedRequest) {
        return CacheKeys.search(tenant, generation.value(), indexTarget.get(), normalizedRequest);
    }

    /** True while Redis is not being skipped after a failure (for caches no generation governs). */
    public boolean redisAvailable() {
        return redis.available();
    }

    /** A cache with this process's L1 bound and jitter; invalidations reach it from now on. */
    public <V> TwoLevelCache<V> create(String name, CacheCodec<V> codec, Function<V, Duration> ttl) {
        TwoLevelCache<V> cache = new TwoLevelCache<>(new TwoLevelCache.Settings<>(name, properties.l1MaxEntries(),
                properties.jitter(), ttl), redis, codec, meters);
        caches.add(new Registered(name, cache));
        return cache;
    }

    /** Calls the listener with the tenant of every invalidation applied from the stream, after it was applied. */
    public void onInvalidated(Consumer<String> listener) {
        invalidationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Applies an invalidation from the stream to L1: the named keys, and the tenant's searches. */
    void invalidated(CacheInvalidated event) {
        raise(event.tenant(), event.tenantGeneration());
        String searchPrefix = CacheKeys.searchPrefix(event.tenant());
        for (Registered registered : caches) {
            event.keys().forEach(registered.cache()::invalidate);
            if (SEARCH.equals(registered.name())) {
                registered.cache().invalidateIf(key -> key.startsWith(searchPrefix));
            }
        }
        invalidationListeners.forEach(listener -> listener.accept(event.tenant()));
    }

    /** Drops all of L1: invalidations may have been missed. */
    void invalidateAll() {
        caches.forEach(registered -> registered.cache().invalidateAll());
    }

    private long raise(String tenant, long generation) {
        return known.merge(tenant, generation, Math::max);
    }

    private record Registered(String name, TwoLevelCache<?> cache) {
    }
}
