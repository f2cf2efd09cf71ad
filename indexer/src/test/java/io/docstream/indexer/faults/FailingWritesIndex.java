package io.docstream.indexer.faults;

import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of an index adapter: the real index behind it, except that the next {@link #failWrites(int)} writes
 * throw the I/O error an index that does not answer gives, and each refused write is remembered with its time.
 */
final class FailingWritesIndex implements SearchIndex {

    private final SearchIndex delegate;
    private final AtomicInteger writesToFail = new AtomicInteger();
    private final List<Instant> refused = new CopyOnWriteArrayList<>();

    FailingWritesIndex(SearchIndex delegate) {
        this.delegate = delegate;
    }

    void failWrites(int writes) {
        writesToFail.set(writes);
    }

    List<Instant> refusedWrites() {
        return List.copyOf(refused);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<String> write(List<IndexWrite> writes) {
        if (writesToFail.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            refused.add(Instant.now());
            throw new UncheckedIOException(new IOException("index unavailable (test double)"));
        }
        return delegate.write(writes);
    }

    @Override
    public List<IndexHit> searchDense(IndexQuery query, float[] vector) {
        return delegate.searchDense(query, vector);
    }

    @Override
    public List<DocumentHit> searchKeyword(IndexQuery query, String text) {
        return delegate.searchKeyword(query, text);
    }

    @Override
    public Map<String, IndexHit> bestChunks(IndexQuery query, Collection<String> documentIds, String text) {
        return delegate.bestChunks(query, documentIds, text);
    }

    @Override
    public long countDocuments(String tenant) {
        return delegate.countDocuments(tenant);
    }

    @Override
    public void close() {
        // the index targets own the real index
    }
}
