package io.docstream.indexer.indexing;

import io.docstream.embedding.TokenCounter;
import io.docstream.embedding.Embedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Delegates to a real model and counts its calls and how many texts it was asked to embed. */
final class CountingEmbedder implements Embedder {

    private final Embedder delegate;
    private final AtomicInteger documentsEmbedded = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    CountingEmbedder(Embedder delegate) {
        this.delegate = delegate;
    }

    int documentsEmbedded() {
        return documentsEmbedded.get();
    }

    int calls() {
        return calls.get();
    }

    void reset() {
        documentsEmbedded.set(0);
        calls.set(0);
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }

    @Override
    public int maxTokens() {
        return delegate.maxTokens();
    }

    @Override
    public TokenCounter tokenCounter() {
        return delegate.tokenCounter();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        calls.incrementAndGet();
        documentsEmbedded.addAndGet(texts.size());
        return delegate.embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return delegate.embedQuery(query);
    }
}
