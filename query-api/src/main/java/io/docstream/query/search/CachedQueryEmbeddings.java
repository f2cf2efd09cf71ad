package io.docstream.query.search;

import io.docstream.core.cache.CacheCodec;
import io.docstream.core.cache.CacheKeys;
import io.docstream.core.cache.TwoLevelCache;
import io.docstream.core.chunking.TokenCounter;
import io.docstream.core.embedding.Embedder;
import io.docstream.query.cache.QueryCaches;
import java.util.List;

/**
 * The embedder with its query embeddings cached by model and normalised query; the model is the cost
 * of a semantic search that the index is not, and the same queries come back often.
 */
final class CachedQueryEmbeddings implements Embedder {

    private final Embedder embedder;
    private final QueryCaches caches;
    private final TwoLevelCache<float[]> cache;

    CachedQueryEmbeddings(Embedder embedder, QueryCaches caches) {
        this.embedder = embedder;
        this.caches = caches;
        this.cache = caches.create("embedding", CacheCodec.floats(), vector -> caches.properties().embeddingTtl());
    }

    @Override
    public float[] embedQuery(String query) {
        String key = CacheKeys.queryEmbedding(embedder.modelId(), SearchRequests.normalizeQuery(query));
        return cache.get(key, caches.redisAvailable(), () -> embedder.embedQuery(query)).value();
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
