package io.docstream.search;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link SearchIndex} that hands every call to the index {@code delegate} supplies when the call starts and
 * whose {@link #close()} does nothing: a view of an index someone else owns. A subclass may decorate a call (a
 * guard around writes, a test double that fails them).
 */
public class DelegatingSearchIndex implements SearchIndex {

    private final String name;
    private final Supplier<SearchIndex> delegate;

    public DelegatingSearchIndex(String name, Supplier<SearchIndex> delegate) {
        this.name = Objects.requireNonNull(name, "name");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** A view of {@code index} that its holders cannot close. */
    public static SearchIndex unclosable(SearchIndex index) {
        Objects.requireNonNull(index, "index");
        return new DelegatingSearchIndex(index.name(), () -> index);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> write(List<IndexWrite> writes) {
        // One path for both kinds of write, so a subclass decorating writes overrides the one below only.
        return write(writes, Map.of(), false);
    }

    @Override
    public List<String> write(List<IndexWrite> writes, Map<String, Long> positions, boolean deferCommit) {
        return delegate.get().write(writes, positions, deferCommit);
    }

    @Override
    public Map<String, Long> durablePositions() {
        return delegate.get().durablePositions();
    }

    @Override
    public void commit() {
        delegate.get().commit();
    }

    @Override
    public List<IndexHit> searchDense(IndexQuery query, float[] vector) {
        return delegate.get().searchDense(query, vector);
    }

    @Override
    public List<DocumentHit> searchKeyword(IndexQuery query, String text) {
        return delegate.get().searchKeyword(query, text);
    }

    @Override
    public Map<String, IndexHit> bestChunks(IndexQuery query, Collection<String> documentIds, String text) {
        return delegate.get().bestChunks(query, documentIds, text);
    }

    @Override
    public boolean readOnly() {
        return delegate.get().readOnly();
    }

    @Override
    public long countDocuments(String tenant) {
        return delegate.get().countDocuments(tenant);
    }

    @Override
    public void close() {
        // the owner closes the index
    }

    @Override
    public String toString() {
        return "DelegatingSearchIndex[" + name + "]";
    }
}
