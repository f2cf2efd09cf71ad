package io.docstream.indexer.faults;

import io.docstream.search.DelegatingSearchIndex;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of an index adapter: the real index behind it, except that the next {@link #failWrites(int)} writes
 * throw the I/O error an index that does not answer gives, and each refused write is remembered with its time.
 */
final class FailingWritesIndex extends DelegatingSearchIndex {

    private final AtomicInteger writesToFail = new AtomicInteger();
    private final List<Instant> refused = new CopyOnWriteArrayList<>();

    FailingWritesIndex(SearchIndex index) {
        super(index.name(), () -> index);
    }

    void failWrites(int writes) {
        writesToFail.set(writes);
    }

    List<Instant> refusedWrites() {
        return List.copyOf(refused);
    }

    @Override
    public List<String> write(List<IndexWrite> writes, Map<String, Long> positions, boolean deferCommit) {
        if (writesToFail.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            refused.add(Instant.now());
            throw new UncheckedIOException(new IOException("index unavailable (test double)"));
        }
        return super.write(writes, positions, deferCommit);
    }
}
