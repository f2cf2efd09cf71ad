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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep4;
import org.jooq.impl.DSL;

/**
 * Vectors for chunks, from the durable embedding cache (keyed by model and chunk hash) when it has
 * them and from the model otherwise. An update re-embeds only its changed chunks; a replay with the
 * same model embeds nothing.
 */
public final class CachedEmbedder {

    /** Chunks the model embedded (cache misses), on the span {@link #vectorsFor(Collection, Span)} is given. */
    public static final AttributeKey<Long> EMBEDDED = AttributeKey.longKey("docstream.embedded");
    /** Chunks whose vector came from the cache, on the same span. */
    public static final AttributeKey<Long> CACHE_HITS = AttributeKey.longKey("docstream.cache_hits");

    private final Embedder embedder;
    private final DSLContext dsl;
    private final int batchSize;
    private final Counter hits;
    private final Counter misses;
    private final DistributionSummary batchSizes;
    private final Timer embedDuration;

    public CachedEmbedder(Embedder embedder, DSLContext dsl, int batchSize, MeterRegistry meters) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.batchSize = batchSize;
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
    }

    public String modelId() {
        return embedder.modelId();
    }

    /** The vector of every chunk, by chunk hash. Newly embedded vectors are stored in the cache. */
    public Map<String, float[]> vectorsFor(Collection<Chunk> chunks) {
        return vectorsFor(chunks, Span.getInvalid());
    }

    /** As {@link #vectorsFor(Collection)}, recording cache hits and embedded chunks on {@code span}. */
    public Map<String, float[]> vectorsFor(Collection<Chunk> chunks, Span span) {
        Map<String, String> textByHash = new LinkedHashMap<>();
        chunks.forEach(chunk -> textByHash.putIfAbsent(chunk.hash(), chunk.text()));
        if (textByHash.isEmpty()) {
            return Map.of();
        }
        Map<String, float[]> vectors = new HashMap<>(cached(textByHash.keySet()));
        hits.increment(vectors.size());
        Map<String, String> missing = new LinkedHashMap<>(textByHash);
        missing.keySet().removeAll(vectors.keySet());
        misses.increment(missing.size());
        span.setAttribute(CACHE_HITS, (long) vectors.size());
        span.setAttribute(EMBEDDED, (long) missing.size());
        if (!missing.isEmpty()) {
            Map<String, float[]> embedded = embed(missing);
            store(embedded);
            vectors.putAll(embedded);
        }
        return vectors;
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
