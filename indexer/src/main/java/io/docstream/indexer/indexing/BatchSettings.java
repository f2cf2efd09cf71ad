package io.docstream.indexer.indexing;

import java.time.Duration;
import java.util.Objects;

/**
 * How the indexer batches: flush after {@code batchSize} documents or every {@code flushInterval},
 * and hand the model at most {@code embedBatchSize} texts per call. A flush blocks the stream thread,
 * so the batch must stay small enough to finish well within {@code max.poll.interval.ms}.
 *
 * <p>With {@code embedAhead} above 0, each upsert is chunked and embedded as it arrives, on a worker beside the
 * stream thread, and up to {@code embedAhead} documents more than a batch may wait: the model embeds them while the
 * stream thread writes the batch before (a flush takes the oldest {@code batchSize} documents). A batch whose every
 * document is ready is flushed at once instead of waiting out the interval when no command arrived during the last
 * check (micro-batches while the indexer keeps up). 0 embeds within the flush, as one batch.
 *
 * <p>While a replay runs, nothing is embedded and nobody waits on a single document, so batches grow to
 * {@code replay.batchSize} documents or {@code replay.batchBytes} bytes of text, or {@code replay.flushInterval}
 * of waiting, and the index commits at most every {@code replay.commitInterval} (see {@link Replay}).
 */
public record BatchSettings(int batchSize, Duration flushInterval, int embedBatchSize, int embedAhead, Replay replay) {

    public static final int MAX_BATCH_SIZE = 1024;

    public BatchSettings {
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(replay, "replay");
        requireBatchSize("batch size", batchSize);
        requireBatchSize("embed batch size", embedBatchSize);
        requirePositive("flush interval", flushInterval);
        if (embedAhead < 0 || embedAhead > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("embed ahead must be between 0 and " + MAX_BATCH_SIZE + ": " + embedAhead);
        }
    }

    /** Live batching as given, embedding within the flush, replay batching at its defaults. */
    public BatchSettings(int batchSize, Duration flushInterval, int embedBatchSize) {
        this(batchSize, flushInterval, embedBatchSize, 0, Replay.defaults());
    }

    public static BatchSettings defaults() {
        return new BatchSettings(32, Duration.ofMillis(100), 32, 32, Replay.defaults());
    }

    /** Whether upserts are embedded as they arrive rather than within their flush. */
    public boolean embedsAhead() {
        return embedAhead > 0;
    }

    /**
     * Batching while a replay runs. The index may defer its commit for up to {@code commitInterval}: a crash in
     * that window loses index writes Kafka already counts as done, and the indexer reads those records again
     * at its next start from the positions the index's last commit recorded ({@link IndexRecovery}).
     */
    public record Replay(int batchSize, long batchBytes, Duration flushInterval, Duration commitInterval) {

        public Replay {
            Objects.requireNonNull(flushInterval, "flushInterval");
            Objects.requireNonNull(commitInterval, "commitInterval");
            requireBatchSize("replay batch size", batchSize);
            if (batchBytes < 1) {
                throw new IllegalArgumentException("replay batch bytes must be positive: " + batchBytes);
            }
            requirePositive("replay flush interval", flushInterval);
            if (commitInterval.isNegative()) {
                throw new IllegalArgumentException("replay commit interval must not be negative: " + commitInterval);
            }
        }

        public static Replay defaults() {
            return new Replay(512, 8L << 20, Duration.ofSeconds(1), Duration.ofSeconds(5));
        }
    }

    private static void requireBatchSize(String what, int size) {
        if (size < 1 || size > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException(what + " must be between 1 and " + MAX_BATCH_SIZE + ": " + size);
        }
    }

    private static void requirePositive(String what, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + duration);
        }
    }
}
