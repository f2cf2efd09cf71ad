package io.docstream.indexer.embedding;

import static io.docstream.schemas.db.Tables.EMBEDDING_CACHE;

import io.docstream.search.chunking.Chunk;
import io.docstream.embedding.Embedder;
import io.docstream.schemas.db.tables.records.EmbeddingCacheRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.docstream.platform.tracing.Traces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep4;
import org.jooq.impl.DSL;

/**
 * Vectors for chunks, from the durable embedding cache (keyed by model and chunk hash) when it has
 * them and from the model otherwise. An update re-embeds only its changed chunks; a replay with the
 * same model embeds nothing.
 *
 * <p>Chunks can be handed in ahead of the call that needs their vectors ({@link #embedAhead}): one worker thread
 * resolves them in arrival order (cache first, then the model, in calls of up to the batch size, taking whatever has
 * queued meanwhile) and stores what the model made, while the caller goes on (the indexer writes the previous batch
 * meanwhile). {@link #vectorsFor} then takes those vectors, waiting for any still being made. A vector is a function
 * of the text alone, so where it was made changes nothing; a failure ahead is not reported there but left to the
 * call that needs the vector, which works the chunk out itself and fails as it always did.
 */
public final class CachedEmbedder {

    /** Chunks the model embedded (cache misses), on the span {@link #vectorsFor(Collection, Span)} is given. */
    public static final AttributeKey<Long> EMBEDDED = AttributeKey.longKey("docstream.embedded");
    /** Chunks whose vector came from the cache, on the same span. */
    public static final AttributeKey<Long> CACHE_HITS = AttributeKey.longKey("docstream.cache_hits");
    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("docstream.batch_size");

    private final Embedder embedder;
    private final DSLContext dsl;
    private final int batchSize;
    private final Counter hits;
    private final Counter misses;
    private final DistributionSummary batchSizes;
    private final Timer embedDuration;
    /** Chunks handed in ahead, by hash, until the call that needs them takes them (or they grow stale). */
    private final Map<String, Ahead> ahead = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Ahead> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Chunks queued for the worker and not taken yet. */
    private final AtomicInteger queuedCount = new AtomicInteger();
    /**
     * The most chunks queued ahead ({@value #QUEUED_BATCHES} model calls): a flush waits only for its own documents,
     * but they queue behind everything handed in before them, and long documents under a backlog would make that
     * minutes; beyond it, documents are embedded in their flush as without embedding ahead.
     */
    private final int maxQueued;
    private static final int QUEUED_BATCHES = 4;
    private final ThreadPoolExecutor worker;

    /** The most chunks held ahead; past it, older resolved ones are dropped and new ones wait for their flush. */
    private static final int MAX_AHEAD = 20_000;
    /** Resolved chunks nobody took for this long are dropped (their document was superseded or moved away). */
    private static final long STALE_NANOS = TimeUnit.MINUTES.toNanos(2);
    /** How long a caller waits for a chunk being resolved ahead before working it out itself. */
    private static final long AHEAD_WAIT_MINUTES = 5;

    /** A chunk handed in ahead and its vector, once resolved. */
    private static final class Ahead {
        final String hash;
        final String text;
        final long queuedAt = System.nanoTime();
        final CompletableFuture<float[]> vector = new CompletableFuture<>();
        /** True when the model made the vector, false when it came from the cache. */
        volatile boolean embedded;

        Ahead(String hash, String text) {
            this.hash = hash;
            this.text = text;
        }
    }

    public CachedEmbedder(Embedder embedder, DSLContext dsl, int batchSize, MeterRegistry meters) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.batchSize = batchSize;
        this.maxQueued = QUEUED_BATCHES * batchSize;
        this.hits = Counter.builder("docstream.indexer.embedding.cache.hits")
                .description("Chunks whose vector came from the embedding cache")
                .register(meters);
        this.misses = Counter.builder("docstream.indexer.embedding.cache.misses")
                .description("Chunks the model had to embed")
                .register(meters);
        this.batchSizes = DistributionSummary.builder("docstream.indexer.embed.batch.size")
                .description("Texts per call to the embedding model")
                .register(meters);
        this.embedDuration = Timer.builder("docstream.indexer.embed.duration")
                .description("Time of one call to the embedding model")
                .tag("model", embedder.modelId())
                .register(meters);
        this.worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon(true).name("docstream-embed-ahead").factory());
        this.worker.allowCoreThreadTimeOut(true);
    }

    public String modelId() {
        return embedder.modelId();
    }

    /** The vector of every chunk, by chunk hash. Newly embedded vectors are stored in the cache. */
    public Map<String, float[]> vectorsFor(Collection<Chunk> chunks) {
        return vectorsFor(chunks, Span.getInvalid());
    }

    /**
     * As {@link #vectorsFor(Collection)}, recording cache hits and embedded chunks on {@code span} (chunks resolved
     * ahead count as what resolved them).
     */
    public Map<String, float[]> vectorsFor(Collection<Chunk> chunks, Span span) {
        Map<String, String> textByHash = new LinkedHashMap<>();
        chunks.forEach(chunk -> textByHash.putIfAbsent(chunk.hash(), chunk.text()));
        if (textByHash.isEmpty()) {
            return Map.of();
        }
        Map<String, float[]> vectors = new HashMap<>();
        long embeddedAhead = 0;
        for (String hash : textByHash.keySet()) {
            Ahead entry = ahead.remove(hash);
            float[] vector = entry == null ? null : resolvedAhead(entry);
            if (vector != null) {
                vectors.put(hash, vector);
                embeddedAhead += entry.embedded ? 1 : 0;
            }
        }
        long hitsAhead = vectors.size() - embeddedAhead;
        Map<String, String> remaining = new LinkedHashMap<>(textByHash);
        remaining.keySet().removeAll(vectors.keySet());
        Resolved resolved = resolve(remaining);
        vectors.putAll(resolved.cached());
        vectors.putAll(resolved.embedded());
        span.setAttribute(CACHE_HITS, hitsAhead + resolved.cached().size());
        span.setAttribute(EMBEDDED, embeddedAhead + resolved.embedded().size());
        return vectors;
    }

    /** Vectors found in the cache, and those the model made (and that were stored), by chunk hash. */
    private record Resolved(Map<String, float[]> cached, Map<String, float[]> embedded) {
    }

    /** Cache first, then the model for the rest, which is stored; counts hits and misses. */
    private Resolved resolve(Map<String, String> textByHash) {
        if (textByHash.isEmpty()) {
            return new Resolved(Map.of(), Map.of());
        }
        Map<String, float[]> cached = cached(textByHash.keySet());
        hits.increment(cached.size());
        Map<String, String> missing = new LinkedHashMap<>(textByHash);
        missing.keySet().removeAll(cached.keySet());
        misses.increment(missing.size());
        if (missing.isEmpty()) {
            return new Resolved(cached, Map.of());
        }
        Map<String, float[]> embedded = embed(missing);
        store(embedded);
        return new Resolved(cached, embedded);
    }

    /**
     * Starts working out the vectors of {@code chunks} on the worker thread, for a later {@link #vectorsFor} call to
     * take, and returns true; false, leaving them to that call, when the worker already has its fill queued. Chunks
     * already handed in are not queued twice.
     */
    public boolean embedAhead(Collection<Chunk> chunks) {
        if (queuedCount.get() + chunks.size() > maxQueued) {
            return false;
        }
        boolean added = false;
        for (Chunk chunk : chunks) {
            if (ahead.size() >= MAX_AHEAD && !dropStale()) {
                break;
            }
            Ahead entry = new Ahead(chunk.hash(), chunk.text());
            if (ahead.putIfAbsent(chunk.hash(), entry) == null) {
                queuedCount.incrementAndGet();
                queued.add(entry);
                added = true;
            }
        }
        if (added) {
            drainSoon();
        }
        return true;
    }

    /**
     * Whether {@link #vectorsFor} would find every one of {@code chunks} without waiting: resolved ahead, or no
     * longer held ahead (taken by another call, so in the cache, or never handed in).
     */
    public boolean resolvedAhead(Collection<Chunk> chunks) {
        for (Chunk chunk : chunks) {
            Ahead entry = ahead.get(chunk.hash());
            if (entry != null && !entry.vector.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** The vector resolved ahead for {@code entry}, waiting while it is being made; null when that failed. */
    private static float[] resolvedAhead(Ahead entry) {
        try {
            return entry.vector.get(AHEAD_WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for vectors made ahead", e);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** Drops resolved chunks nobody took for a while; true when that made room. */
    private boolean dropStale() {
        long now = System.nanoTime();
        ahead.values().removeIf(entry -> entry.vector.isDone() && now - entry.queuedAt > STALE_NANOS);
        return ahead.size() < MAX_AHEAD;
    }

    private void drainSoon() {
        if (draining.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (true) {
                List<Ahead> batch = new ArrayList<>(batchSize);
                for (Ahead entry; batch.size() < batchSize && (entry = queued.poll()) != null; ) {
                    queuedCount.decrementAndGet();
                    batch.add(entry);
                }
                if (batch.isEmpty()) {
                    return;
                }
                resolveAhead(batch);
            }
        } finally {
            draining.set(false);
            if (!queued.isEmpty()) {
                drainSoon();
            }
        }
    }

    /**
     * Cache first, then the model for the rest, which is stored; a failure is left to the call that needs them. The
     * work is a trace of its own ({@code embed ahead}): it serves several documents, and the span of whichever record
     * happened to queue it is no parent of it (each document's trace shows the vectors taken in its flush's
     * {@code embed batch} span).
     */
    private void resolveAhead(List<Ahead> batch) {
        Span span = Traces.span("embed ahead").setNoParent()
                .setAttribute(BATCH_SIZE, (long) batch.size()).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            resolveIn(batch, span);
        } finally {
            span.end();
        }
    }

    private void resolveIn(List<Ahead> batch, Span span) {
        try {
            Map<String, String> texts = new LinkedHashMap<>();
            batch.forEach(entry -> texts.put(entry.hash, entry.text));
            Resolved resolved = resolve(texts);
            span.setAttribute(CACHE_HITS, (long) resolved.cached().size());
            span.setAttribute(EMBEDDED, (long) resolved.embedded().size());
            for (Ahead entry : batch) {
                float[] vector = resolved.cached().get(entry.hash);
                if (vector == null) {
                    vector = resolved.embedded().get(entry.hash);
                    entry.embedded = true;
                }
                entry.vector.complete(vector);
            }
        } catch (RuntimeException e) {
            Traces.failed(span, e);
            batch.forEach(entry -> entry.vector.completeExceptionally(e));
        }
    }

    private Map<String, float[]> cached(Collection<String> hashes) {
        Map<String, float[]> vectors = new HashMap<>();
        dsl.select(EMBEDDING_CACHE.CHUNK_HASH, EMBEDDING_CACHE.VECTOR)
                .from(EMBEDDING_CACHE)
                .where(EMBEDDING_CACHE.MODEL_ID.eq(embedder.modelId()))
                .and(EMBEDDING_CACHE.CHUNK_HASH.eq(DSL.any(hashes.toArray(String[]::new))))
                .forEach(row -> vectors.put(row.value1(), toPrimitive(row.value2())));
        return vectors;
    }

    private Map<String, float[]> embed(Map<String, String> textByHash) {
        List<String> hashes = List.copyOf(textByHash.keySet());
        Map<String, float[]> vectors = new HashMap<>();
        for (int from = 0; from < hashes.size(); from += batchSize) {
            List<String> batch = hashes.subList(from, Math.min(from + batchSize, hashes.size()));
            List<String> texts = batch.stream().map(textByHash::get).toList();
            batchSizes.record(texts.size());
            List<float[]> embedded = embedDuration.record(() -> embedder.embedDocuments(texts));
            if (embedded == null || embedded.size() != texts.size()) {
                throw new IllegalStateException("embedder " + embedder.modelId() + " returned "
                        + (embedded == null ? "nothing" : embedded.size() + " vectors") + " for " + texts.size()
                        + " texts");
            }
            for (int i = 0; i < batch.size(); i++) {
                vectors.put(batch.get(i), embedded.get(i));
            }
        }
        return vectors;
    }

    private void store(Map<String, float[]> vectors) {
        InsertValuesStep4<EmbeddingCacheRecord, String, String, Integer, Float[]> insert = dsl.insertInto(
                EMBEDDING_CACHE, EMBEDDING_CACHE.MODEL_ID, EMBEDDING_CACHE.CHUNK_HASH, EMBEDDING_CACHE.DIMENSIONS,
                EMBEDDING_CACHE.VECTOR);
        for (Map.Entry<String, float[]> entry : vectors.entrySet()) {
            insert = insert.values(embedder.modelId(), entry.getKey(), entry.getValue().length, toBoxed(entry.getValue()));
        }
        insert.onConflictDoNothing().execute();
    }

    private static float[] toPrimitive(Float[] boxed) {
        float[] vector = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            vector[i] = boxed[i];
        }
        return vector;
    }

    private static Float[] toBoxed(float[] vector) {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return boxed;
    }
}
