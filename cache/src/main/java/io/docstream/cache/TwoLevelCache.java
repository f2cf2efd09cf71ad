package io.docstream.cache;

import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.docstream.platform.tracing.Traces;
import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache in two layers: this process's memory (L1, Caffeine) in front of Redis (L2) in front of the
 * origin. Entries remember the tenant generation they were loaded under and L1 serves them only for
 * that generation; L2 writes of generation-bound entries are conditional on the generation (see
 * {@link Generations}). Values that carry their own generation and can prove themselves at a later one
 * ({@link Revalidation}, e.g. search pages under selective invalidation) are served across generation moves
 * while the proof holds, from either layer. Concurrent misses on one key (and generation) share one load: one L2 lookup and
 * at most one origin call. When Redis fails the cache keeps working from L1 and the origin and says so.
 */
public final class TwoLevelCache<V> {

    private static final Logger log = LoggerFactory.getLogger(TwoLevelCache.class);
    private static final AttributeKey<String> CACHE_NAME = AttributeKey.stringKey("docstream.cache.name");
    private static final AttributeKey<String> CACHE_LAYER = AttributeKey.stringKey("docstream.cache.layer");

    /** Where an answer came from. */
    public enum Layer {
        L1, L2, ORIGIN;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A value, the layer that gave it, and whether Redis failed while getting it. */
    public record Result<V>(V value, Layer layer, boolean redisFailed) {
    }

    /**
     * Settings of one cache.
     *
     * @param name       the {@code cache} tag of the metrics, e.g. {@code search}
     * @param maxEntries L1 size bound
     * @param jitter     TTLs vary by ± this fraction so entries written together do not expire together
     * @param ttl        how long a value lives; {@link Duration#ZERO} means "do not cache this value"
     */
    public record Settings<V>(String name, long maxEntries, double jitter, Function<V, Duration> ttl) {

        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ttl, "ttl");
            if (maxEntries < 0 || jitter < 0 || jitter >= 1) {
                throw new IllegalArgumentException("maxEntries must be >= 0 and jitter in [0, 1)");
            }
        }
    }

    private record Entry<V>(V value, long generation, long ttlNanos) {
    }

    /**
     * How a value bound to a tenant generation can outlive a move of the generation: it knows the generation it
     * was computed (or last proven fresh) under, and proves itself fresh at a later one, or gives way.
     */
    public interface Revalidation<V> {

        /** The generation {@code value} was computed, or last proven fresh, under. */
        long generation(V value);

        /**
         * {@code value} as it may be served at {@code generation} (the same, or updated and bound to
         * {@code generation}), or null when it no longer holds and must be loaded again.
         */
        V revalidate(V value, long generation);
    }

    private final Settings<V> settings;
    private final Redis redis;
    private final Generations generations;
    private final CacheCodec<V> codec;
    private final Cache<String, Entry<V>> l1;
    private final Map<String, CompletableFuture<Result<V>>> inFlight = new ConcurrentHashMap<>();
    private final Map<Layer, Counter> requests;
    private final Timer loads;
    private final MeterRegistry meters;

    public TwoLevelCache(Settings<V> settings, Redis redis, CacheCodec<V> codec, MeterRegistry meters) {
        this.settings = settings;
        this.redis = redis;
        this.generations = new Generations(redis);
        this.codec = codec;
        this.meters = meters;
        this.requests = Map.of(
                Layer.L1, requestCounter(Layer.L1),
                Layer.L2, requestCounter(Layer.L2),
                Layer.ORIGIN, requestCounter(Layer.ORIGIN));
        this.loads = Timer.builder("docstream.cache.load")
                .description("Origin loads after a miss in both layers")
                .tag("cache", settings.name())
                .register(meters);
        this.l1 = Caffeine.newBuilder()
                .maximumSize(settings.maxEntries())
                .expireAfter(Expiry.<String, Entry<V>>creating((key, entry) -> Duration.ofNanos(entry.ttlNanos())))
                .removalListener((String key, Entry<V> entry, RemovalCause cause) -> {
                    if (cause != RemovalCause.REPLACED) {
                        evicted(cause == RemovalCause.EXPLICIT ? "invalidated" : cause.name().toLowerCase(Locale.ROOT));
                    }
                })
                .build();
    }

    private Counter requestCounter(Layer layer) {
        return Counter.builder("docstream.cache.requests")
                .description("Cache lookups by the layer that answered")
                .tag("cache", settings.name())
                .tag("layer", layer.tag())
                .register(meters);
    }

    private void evicted(String cause) {
        Counter.builder("docstream.cache.evictions")
                .description("L1 entries removed, by cause")
                .tag("cache", settings.name())
                .tag("cause", cause)
                .register(meters)
                .increment();
    }

    /**
     * A value bound to the tenant's search generation: from L1 if loaded under {@code generation}, else
     * from L2 (if {@code useL2}), else from {@code origin}, stored in L2 only while the generation holds.
     */
    public Result<V> get(String key, String tenant, long generation, boolean useL2, Supplier<V> origin) {
        return lookup(key, Objects.requireNonNull(tenant, "tenant"), generation, useL2, origin, null);
    }

    /**
     * A value that records its own generation and may outlive moves of the tenant's generation: from L1 or L2 when
     * it was computed at {@code generation} or later, or {@code revalidation} proves it still holds; else from
     * {@code origin}, stored in L2 unconditionally (the value carries its generation, so a late store is proven
     * or refused by the next reader).
     */
    public Result<V> get(String key, String tenant, long generation, boolean useL2, Supplier<V> origin,
            Revalidation<V> revalidation) {
        return lookup(key, Objects.requireNonNull(tenant, "tenant"), generation, useL2, origin,
                Objects.requireNonNull(revalidation, "revalidation"));
    }

    /**
     * The L1 value when it holds at {@code generation} as it is (computed, or last proven fresh, at that generation or
     * later), counted as an L1 hit; null otherwise, counted nothing: the caller then asks {@link #get} as usual. No
     * I/O, no revalidation: the cheapest answer there is, for a caller that knows the generation without asking.
     */
    public V fromL1(String key, long generation) {
        Entry<V> entry = l1.getIfPresent(key);
        if (entry == null || entry.generation() < generation) {
            return null;
        }
        requests.get(Layer.L1).increment();
        return entry.value();
    }

    /** A value no generation governs (a query embedding): L1, then L2 (if {@code useL2}), then origin. */
    public Result<V> get(String key, boolean useL2, Supplier<V> origin) {
        return lookup(key, null, 0, useL2, origin, null);
    }

    /** A {@code cache lookup} span around the lookup; on a miss the origin load runs inside it. */
    private Result<V> lookup(String key, String tenant, long generation, boolean useL2, Supplier<V> origin,
            Revalidation<V> revalidation) {
        Span span = Traces.span("cache lookup").setAttribute(CACHE_NAME, settings.name()).startSpan();
        return Traces.inSpan(span, () -> {
            Result<V> result = lookupUntraced(key, tenant, generation, useL2, origin, revalidation);
            span.setAttribute(CACHE_LAYER, result.layer() == Layer.ORIGIN ? "miss" : result.layer().tag());
            return result;
        });
    }

    private Result<V> lookupUntraced(String key, String tenant, long generation, boolean useL2, Supplier<V> origin,
            Revalidation<V> revalidation) {
        long[] refused = {Long.MIN_VALUE};
        Result<V> fromL1 = fromL1(key, tenant, generation, revalidation, refused);
        if (fromL1 != null) {
            return fromL1;
        }
        String flightKey = key + '@' + generation;
        CompletableFuture<Result<V>> mine = new CompletableFuture<>();
        CompletableFuture<Result<V>> running = inFlight.putIfAbsent(flightKey, mine);
        if (running != null) {
            Result<V> shared = join(running);
            requests.get(shared.layer()).increment();
            return shared;
        }
        try {
            // A load that finished between our L1 look and our claim has filled L1 already.
            Result<V> result = fromL1(key, tenant, generation, revalidation, refused);
            if (result == null) {
                result = load(key, tenant, generation, useL2, origin, revalidation, refused[0]);
            }
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(flightKey, mine);
        }
    }

    /** The L1 entry if it may be served; {@code refused[0]} is set to the generation of an entry revalidation refused. */
    private Result<V> fromL1(String key, String tenant, long generation, Revalidation<V> revalidation,
            long[] refused) {
        Entry<V> entry = l1.getIfPresent(key);
        if (entry == null) {
            return null;
        }
        if (tenant == null || entry.generation() == generation
                || (revalidation != null && entry.generation() > generation)) {
            requests.get(Layer.L1).increment();
            return new Result<>(entry.value(), Layer.L1, false);
        }
        if (revalidation == null) {
            return null;
        }
        V fresh = revalidation.revalidate(entry.value(), generation);
        if (fresh == null) {
            l1.asMap().remove(key, entry);
            refused[0] = Math.max(refused[0], entry.generation());
            return null;
        }
        // Replacing keeps the entry's expiry (Expiry.creating), so a page proven fresh again does not live longer.
        l1.asMap().replace(key, entry, new Entry<>(fresh, generation, entry.ttlNanos()));
        requests.get(Layer.L1).increment();
        return new Result<>(fresh, Layer.L1, false);
    }

    /** {@code refusedAt}: an L2 copy no newer than the L1 entry just refused is not worth proving again. */
    private Result<V> load(String key, String tenant, long generation, boolean useL2, Supplier<V> origin,
            Revalidation<V> revalidation, long refusedAt) {
        boolean redisFailed = false;
        if (useL2) {
            try {
                byte[] bytes = redis.execute(commands -> commands.get(key));
                if (bytes != null) {
                    V value = decode(key, bytes);
                    if (value != null && revalidation != null) {
                        long computedAt = revalidation.generation(value);
                        value = computedAt >= generation ? value
                                : computedAt <= refusedAt ? null
                                : revalidation.revalidate(value, generation);
                    }
                    if (value != null) {
                        putL1(key, value, revalidation == null ? generation
                                : Math.max(generation, revalidation.generation(value)));
                        requests.get(Layer.L2).increment();
                        return new Result<>(value, Layer.L2, false);
                    }
                }
            } catch (RedisUnavailableException e) {
                redisFailed = true;
            }
        }
        V value = loads.record(origin);
        requests.get(Layer.ORIGIN).increment();
        Duration ttl = putL1(key, value, generation);
        if (useL2 && !redisFailed && ttl != null) {
            try {
                byte[] bytes = codec.encode(value);
                long ttlMillis = Math.max(1, ttl.toMillis());
                if (tenant != null && revalidation == null) {
                    generations.storeIfCurrent(tenant, generation, key, bytes, ttlMillis);
                } else {
                    redis.execute(commands -> commands.set(key, bytes, SetArgs.Builder.px(ttlMillis)));
                }
            } catch (RedisUnavailableException e) {
                redisFailed = true;
            }
        }
        return new Result<>(value, Layer.ORIGIN, redisFailed);
    }

    /** Puts the value in L1 with a jittered TTL; the TTL, or null when the value is not to be cached. */
    private Duration putL1(String key, V value, long generation) {
        Duration base = settings.ttl().apply(value);
        if (base == null || base.isZero() || base.isNegative()) {
            return null;
        }
        double factor = 1 + settings.jitter() * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        Duration ttl = Duration.ofNanos(Math.max(1, (long) (base.toNanos() * factor)));
        l1.put(key, new Entry<>(value, generation, ttl.toNanos()));
        return ttl;
    }

    private V decode(String key, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (RuntimeException e) {
            log.warn("ignoring an L2 entry that does not decode: {} ({})", key, e.toString());
            return null;
        }
    }

    private static <V> Result<V> join(CompletableFuture<Result<V>> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Drops one key from L1 (an invalidation named it). */
    public void invalidate(String key) {
        l1.invalidate(key);
    }

    /** Drops every L1 key the predicate accepts (e.g. a tenant's searches). */
    public void invalidateIf(Predicate<String> key) {
        l1.asMap().keySet().removeIf(key);
    }

    /** Drops all of L1 (some invalidations may have been missed). */
    public void invalidateAll() {
        l1.invalidateAll();
    }

    /** Entries in L1 now (approximate). */
    public long l1Size() {
        return l1.estimatedSize();
    }
}
