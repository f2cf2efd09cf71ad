package io.docstream.indexer.indexing;

import java.time.Duration;
import java.util.Objects;

/**
 * How the indexer batches: flush after {@code batchSize} documents or every {@code flushInterval},
 * and hand the model at most {@code embedBatchSize} texts per call. A flush blocks the stream thread,
 * so the batch must stay small enough to finish well within {@code max.poll.interval.ms}.
 */
public record BatchSettings(int batchSize, Duration flushInterval, int embedBatchSize) {

    public static final int MAX_BATCH_SIZE = 1024;

    public BatchSettings {
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be between 1 and " + MAX_BATCH_SIZE + ": " + batchSize);
        }
        if (embedBatchSize < 1 || embedBatchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException(
                    "embed batch size must be between 1 and " + MAX_BATCH_SIZE + ": " + embedBatchSize);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flush interval must be positive: " + flushInterval);
        }
    }

    public static BatchSettings defaults() {
        return new BatchSettings(32, Duration.ofMillis(100), 32);
    }
}
