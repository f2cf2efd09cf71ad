package io.docstream.indexer;

import io.docstream.platform.resilience.RemoteCall;
import io.docstream.search.DelegatingSearchIndex;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The indexer's writes to the search index (Lucene, or Qdrant over gRPC) under the service's {@code search-index}
 * guard: bulkhead, breaker, and retries per its policy (writes are idempotent upserts). An open breaker refuses a
 * flush at once, which stops the stream thread until it is replaced after a pause, like any unavailable dependency.
 */
final class GuardedIndexWrites extends DelegatingSearchIndex {

    private final RemoteCall guard;

    GuardedIndexWrites(SearchIndex index, RemoteCall guard) {
        super(index.name(), () -> index);
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** A write refused for its own data (a vector of the wrong dimension) says nothing of the index's health. */
    static boolean indexUnhealthy(Throwable failure) {
        return !(failure instanceof IllegalArgumentException);
    }

    @Override
    public List<String> write(List<IndexWrite> writes, Map<String, Long> positions, boolean deferCommit) {
        return guard.callIdempotent(() -> super.write(writes, positions, deferCommit));
    }

    @Override
    public void commit() {
        guard.callIdempotent(() -> {
            super.commit();
            return null;
        });
    }
}
