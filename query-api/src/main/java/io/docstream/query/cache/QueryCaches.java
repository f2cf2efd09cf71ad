package io.docstream.query.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.docstream.cache.CacheCodec;
import io.docstream.cache.CacheKeys;
import io.docstream.cache.ChangeLog;
import io.docstream.cache.Generations;
import io.docstream.cache.TenantChanges;
import io.docstream.cache.TwoLevelCache;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.docstream.schemas.events.CacheInvalidated;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The query API's caches and the tenants' search generations they are bound to. Generations are pushed: while the
 * invalidation stream is followed without a gap, a tenant's generation is read from Redis once (the first request
 * after the stream was joined) and from then on moved by the invalidations this process applies (from the Redis
 * pub/sub announcement within milliseconds, else from the topic), so a read does no I/O for it. A reader that has
 * not written therefore trails the indexed state by at most the invalidation lag (bounded staleness); a writer
 * passes a consistency token and waits for its write ({@link #applied}, {@link #awaitApplied}). While the stream is
 * not followed, every read asks Redis for the generation as before. When Redis cannot answer, the last generation
 * this process knows is used and the answer is marked degraded, with L2 left alone until Redis answers again. Each tenant's recent changes (from the invalidation
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
    /** Tenants whose generation this process moves from the stream since it last joined it (see {@link #following}). */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    private volatile boolean following;
    private volatile long followEpoch;
    /** {@code tenant NUL document} to the newest version whose invalidation this process applied. */
    private final Cache<String, Long> appliedVersions;
    /** {@code tenant NUL generation} of each invalidation applied, so the second copy of one is skipped. */
    private final Cache<String, Boolean> appliedEvents;
    private final ReentrantLock appliedLock = new ReentrantLock();
    private final Condition appliedMore = appliedLock.newCondition();
    private final Counter appliedAnnounced;
    private final Counter appliedFromTopic;

    QueryCaches(Redis redis, CacheProperties properties, MeterRegistry meters, Supplier<String> indexTarget) {
        this.redis = redis;
        this.indexTarget = indexTarget;
        this.generations = new Generations(redis);
        this.changeLog = new ChangeLog(redis);
        this.properties = properties;
        this.meters = meters;
        this.appliedVersions = Caffeine.newBuilder().maximumSize(properties.appliedVersions()).build();
        this.appliedEvents = Caffeine.newBuilder().maximumSize(properties.appliedVersions())
                .expireAfterWrite(Duration.ofMinutes(10)).build();
        this.appliedAnnounced = appliedCounter(meters, "pubsub");
        this.appliedFromTopic = appliedCounter(meters, "topic");
    }

    private static Counter appliedCounter(MeterRegistry meters, String channel) {
        return Counter.builder("docstream.cache.invalidations.applied")
                .description("Invalidations applied to this instance's L1, by the channel that brought them first")
                .tag("channel", channel)
                .register(meters);
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

    /**
     * The tenant's generation: the one the invalidations applied here moved it to while the stream is followed (no
     * I/O), else read from Redis (one GET); the last known one when Redis fails.
     */
    public Generation generation(String tenant) {
        if (following && followed.contains(tenant)) {
            if (redis.available()) {
                return new Generation(known.getOrDefault(tenant, 0L), true);
            }
            // Redis fails: announcements may be lost and Redis may come back without its data, so every tenant is
            // read from Redis again (and falls back to what it knows meanwhile) until it answers.
            followEpoch++;
            followed.clear();
        }
        // Only a read that started after the stream was joined may hand the tenant over to it: every change after
        // the read is then announced on the stream.
        boolean joined = following;
        long epoch = followEpoch;
        try {
            long current = generations.current(tenant);
            raise(tenant, current);
            if (joined && epoch == followEpoch) {
                followed.add(tenant);
                signalApplied();
            }
            // Redis's own value, even when this process once knew a higher one: a Redis that lost its data starts the
            // tenant again from the clock, and pages must be proven against what Redis records from then on.
            return new Generation(current, true);
        } catch (RedisUnavailableException e) {
            return new Generation(known.getOrDefault(tenant, 0L), false);
        }
    }

    /**
     * Whether this process follows the invalidation stream (called by its reader): true once it is positioned and
     * reading (again, after a gap), false after an interruption. Either way every tenant goes back to one Redis read
     * before its generation is followed from the stream again.
     */
    void following(boolean reading) {
        followEpoch++;
        followed.clear();
        following = reading;
    }

    /** The generation this process serves the tenant at now, without I/O (0 when it never read one). */
    public long knownGeneration(String tenant) {
        return known.getOrDefault(tenant, 0L);
    }

    /** Whether the tenant's generation is moved by the stream here (else each read asks Redis for it). */
    public boolean followed(String tenant) {
        return following && followed.contains(tenant);
    }

    /**
     * True when this process applied the invalidation of {@code documentId} at {@code version} or later (no I/O);
     * false when it did not, or no longer remembers it ({@code docstream.cache.applied-versions} bounds the memory).
     */
    public boolean applied(String tenant, String documentId, long version) {
        Long applied = appliedVersions.getIfPresent(appliedKey(tenant, documentId));
        return applied != null && applied >= version;
    }

    /** Remembers that a version's invalidation holds here, when it was proven another way than by the stream. */
    public void rememberApplied(String tenant, String documentId, long version) {
        appliedVersions.asMap().merge(appliedKey(tenant, documentId), version, Math::max);
    }

    /** Waits until the next invalidation is applied here (or a tenant is handed to the stream), at most {@code nanos}. */
    public void awaitApplied(long nanos) throws InterruptedException {
        appliedLock.lock();
        try {
            appliedMore.awaitNanos(nanos);
        } finally {
            appliedLock.unlock();
        }
    }

    private void signalApplied() {
        appliedLock.lock();
        try {
            appliedMore.signalAll();
        } finally {
            appliedLock.unlock();
        }
    }

    private static String appliedKey(String tenant, String documentId) {
        return tenant + '\u0000' + documentId;
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
     * Applies an invalidation from the topic ({@code announced} false) or its early copy from the pub/sub channel
     * ({@code announced} true) to L1: drops the named keys and remembers the change; with generation invalidation, or
     * when the change is not described, drops the tenant's searches too. The second copy of an event is skipped, and
     * so is an announcement that does not continue the tenant's generation from where this process is (one was lost:
     * the topic brings it, in order). Returns whether the event was applied now.
     */
    boolean invalidated(CacheInvalidated event, boolean announced) {
        if (announced && (!followed(event.tenant()) || event.previousGeneration() == 0
                || event.previousGeneration() != knownGeneration(event.tenant()))) {
            return false;
        }
        // Both copies may arrive at once (pub/sub on Lettuce's thread, the topic on the reader's): one claims it.
        if (appliedEvents.asMap().putIfAbsent(event.tenant() + '\u0000' + event.tenantGeneration(), Boolean.TRUE)
                != null) {
            return false;
        }
        apply(event);
        if (event.documentId() != null && event.documentVersion() > 0) {
            rememberApplied(event.tenant(), event.documentId(), event.documentVersion());
        }
        (announced ? appliedAnnounced : appliedFromTopic).increment();
        signalApplied();
        return true;
    }

    /** History first, then evictions, then the generation: a reader that sees the new generation finds the rest done. */
    private void apply(CacheInvalidated event) {
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
        raise(event.tenant(), event.tenantGeneration());
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
