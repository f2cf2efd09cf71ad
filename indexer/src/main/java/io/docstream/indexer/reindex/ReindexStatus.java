package io.docstream.indexer.reindex;

import io.docstream.search.IndexTarget;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/v1/admin/reindex} answers: the run's state, the target it builds and the one it
 * replaces, its progress (records read, documents written, documents per second, records still to read;
 * {@code lag} is -1 until the reader has its partitions), and every target of the alias.
 */
record ReindexStatus(String state, String alias, String current, String target, String previous, String model,
        String previousModel, boolean autoSwitch, long records, long documents, double docsPerSecond, long lag,
        long switchMaxLag, Instant startedAt, Instant switchedAt, String error, List<IndexTarget> targets) {
}
