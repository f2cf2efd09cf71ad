package io.docstream.query.search;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.CacheKeys;
import io.docstream.cache.TwoLevelCache;
import io.docstream.embedding.TokenCounter;
import io.docstream.embedding.Embedder;
import io.docstream.platform.tracing.Traces;
import io.docstream.query.cache.QueryCaches;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.List;

/**
 * The embedder with its query embeddings cached by model and normalised query; the model is the cost
 * of a semantic search that the index is not, and the same queries come back often.
 */
final class CachedQueryEmbeddings implements Embedder {

    private static final AttributeKey<String> MODEL = AttributeKey.stringKey("docstream.model");
    private static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("docstream.cache_hit");

    private final Embedder embedder;
    private final QueryCaches caches;
    private final TwoLevelCache<float[]> cache;

    CachedQueryEmbeddings(Embedder embedder, QueryCaches caches) {
        this.embedder = embedder;
        this.caches = caches;
        this.cache = caches.create("embedding", CacheCodec.floats(), vector -> caches.properties().embeddingTtl());
    }

    /** In an {@code embed query} span that says whether the cache had the vector. */
    @Override
    public float[] embedQuery(String query) {
        return Traces.inSpan("embed query", Attributes.of(MODEL, embedder.modelId()), span -> {
            String key = CacheKeys.queryEmbedding(embedder.modelId(), SearchRequests.normalizeQuery(query));
            TwoLevelCache.Result<float[]> vector = cache.get(key, caches.redisAvailable(),
                    () -> embedder.embedQuery(query));
            span.setAttribute(CACHE_HIT, vector.layer() != TwoLevelCache.Layer.ORIGIN);
            return vector.value();
        });
    }

    @Override
    public String modelId() {
        return embedder.modelId();
    }

    @Override
    public int dimensions() {
        return embedder.dimensions();
    }

    @Override
    public int maxTokens() {
        return embedder.maxTokens();
    }

    @Override
    public TokenCounter tokenCounter() {
        return embedder.tokenCounter();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return embedder.embedDocuments(texts);
    }
}
