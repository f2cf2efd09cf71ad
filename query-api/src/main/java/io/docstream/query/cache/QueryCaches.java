package io.docstream.query.cache;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.CacheKeys;
import io.docstream.cache.ChangeLog;
import io.docstream.cache.Generations;
import io.docstream.cache.TenantChanges;
import io.docstream.cache.TwoLevelCache;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.docstream.schemas.events.CacheInvalidated;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The query API's caches and the tenants' search generations they are bound to. Every read starts
 * with the tenant's generation from Redis; when Redis cannot answer, the last generation this process
 * knows (from its own reads and from the invalidation stream) is used and the answer is marked
 * degraded, with L2 left alone until Redis answers again. Each tenant's recent changes (from the invalidation
 * stream, and from Redis when the stream has not brought them yet) let a cached search page computed at an older
 * generation prove which documents changed since; see {@link #changedDocuments}.
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
    private final Map<String, TenantChanges> histories = new ConcurrentHashMap<>();
    private final ChangeLog changeLog;
    private final Map<String, CacheProperties.SearchInvalidation> searchInvalidation = new ConcurrentHashMap<>();

    QueryCaches(Redis redis, CacheProperties properties, MeterRegistry meters, Supplier<String> indexTarget) {
        this.redis = redis;
        this.indexTarget = indexTarget;
        this.generations = new Generations(redis);
        this.changeLog = new ChangeLog(redis);
        this.properties = properties;
        this.meters = meters;
    }

    /** How changes reach the tenant's cached search pages in this process: its override, else the configured way. */
    public CacheProperties.SearchInvalidation searchInvalidation(String tenant) {
        return searchInvalidation.getOrDefault(tenant, properties.searchInvalidation());
    }

    /**
     * Overrides, in this process only, how changes reach the tenant's cached search pages (null: back to the
     * configured way), so an operator can compare the two on live traffic; pages cached so far stay and are judged
     * the new way from now on.
     */
    public void searchInvalidation(String tenant, CacheProperties.SearchInvalidation scheme) {
        if (scheme == null) {
            searchInvalidation.remove(tenant);
        } else {
            searchInvalidation.put(tenant, scheme);
        }
    }

    /**
     * The documents of the tenant that changed after generation {@code from} up to {@code to}, when every change in
     * between is known and describes its document; empty when that cannot be proven (a change this process has not
     * heard of, one that names no document, a history trimmed past {@code from}). Changes the invalidation stream
     * has not brought yet are read from Redis.
     */
    public Optional<Set<String>> changedDocuments(String tenant, long from, long to) {
        if (from >= to) {
            return Optional.of(Set.of());
        }
        TenantChanges history = histories.computeIfAbsent(tenant,
                ignored -> new TenantChanges(properties.changeHistory()));
        Optional<Set<String>> known = history.documentsChanged(from, to);
        if (known.isPresent() || !redis.available()) {
            return known;
        }
        synchronized (history) {
            known = history.documentsChanged(from, to);
            if (known.isPresent()) {
                return known;
            }
            // Only what is newer than the known chain is read, unless the chain does not reach back to from.
            long latest = history.latest();
            long after = latest > from && history.documentsChanged(from, latest).isPresent() ? latest : from;
            try {
                changeLog.read(tenant, after).forEach(history::add);
            } catch (RedisUnavailableException e) {
                return Optional.empty();
            }
            return history.documentsChanged(from, to);
        }
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
            raise(tenant, current);
            // Redis's own value, even when this process once knew a higher one: a Redis that lost its data starts the
            // tenant again from the clock, and pages must be proven against what Redis records from then on.
            return new Generation(current, true);
        } catch (RedisUnavailableException e) {
            return new Generation(known.getOrDefault(tenant, 0L), false);
        }
    }

    /**
     * The cache key of a search answer from the index target served from now, so answers of a target the alias has
     * left are never served again; the page records the generation it holds for.
     */
    public String searchKey(String tenant, String normalizedRequest) {
        return CacheKeys.search(tenant, indexTarget.get(), normalizedRequest);
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

    /**
     * Applies an invalidation from the stream to L1: drops the named keys and remembers the change; with generation
     * invalidation, or when the change is not described, drops the tenant's searches too.
     */
    void invalidated(CacheInvalidated event) {
        raise(event.tenant(), event.tenantGeneration());
        boolean described = event.documentId() != null && event.previousGeneration() > 0;
        histories.computeIfAbsent(event.tenant(), ignored -> new TenantChanges(properties.changeHistory()))
                .add(new TenantChanges.Change(event.tenantGeneration(), event.previousGeneration(),
                        described ? event.documentId() : null));
        boolean dropSearches = !described
                || searchInvalidation(event.tenant()) == CacheProperties.SearchInvalidation.GENERATION;
        String searchPrefix = CacheKeys.searchPrefix(event.tenant());
        for (Registered registered : caches) {
            event.keys().forEach(registered.cache()::invalidate);
            if (dropSearches && SEARCH.equals(registered.name())) {
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
