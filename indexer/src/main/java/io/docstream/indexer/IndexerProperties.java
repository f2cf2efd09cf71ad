package io.docstream.indexer;

import io.docstream.indexer.indexing.BatchSettings;
import io.docstream.indexer.indexing.PoisonPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The indexer's settings under {@code docstream.*}.
 *
 * @param indexer batching: {@code docstream.indexer.batch-size} documents per flush (32),
 *        {@code flush-interval} (100ms), {@code embed-batch-size} texts per model call (32), {@code embed-ahead}
 *        documents beyond a batch embedded while the one before is written (32; 0 embeds within the flush); a command failing on its own data is tried
 *        {@code max-attempts} times alone (3), pausing {@code retry-backoff} (100ms) doubling, before the DLQ;
 *        while a replay runs, {@code docstream.indexer.replay.batch-size} documents (512) or {@code batch-bytes} of
 *        text (8MB) per flush, {@code flush-interval} (1s), and the index commits at most every
 *        {@code commit-interval} (5s; 0 commits every flush)
 * @param streams {@code docstream.streams.state-dir}, where Kafka Streams keeps its local stores
 */
@ConfigurationProperties("docstream")
public record IndexerProperties(@DefaultValue Indexer indexer, @DefaultValue Streams streams) {

    public record Indexer(@DefaultValue("32") int batchSize, @DefaultValue("100ms") Duration flushInterval,
            @DefaultValue("32") int embedBatchSize, @DefaultValue("3") int maxAttempts,
            @DefaultValue("100ms") Duration retryBackoff, @DefaultValue ReplayBatches replay,
            @DefaultValue("32") int embedAhead) {

        public BatchSettings batchSettings() {
            return new BatchSettings(batchSize, flushInterval, embedBatchSize, embedAhead, replay.settings());
        }

        public PoisonPolicy poisonPolicy() {
            return new PoisonPolicy(maxAttempts, retryBackoff);
        }
    }

    /** Batching while a replay runs: see {@link BatchSettings.Replay}. */
    public record ReplayBatches(@DefaultValue("512") int batchSize, @DefaultValue("8MB") DataSize batchBytes,
            @DefaultValue("1s") Duration flushInterval, @DefaultValue("5s") Duration commitInterval) {

        BatchSettings.Replay settings() {
            return new BatchSettings.Replay(batchSize, batchBytes.toBytes(), flushInterval, commitInterval);
        }
    }

    public record Streams(@DefaultValue(".docstream/streams/indexer") Path stateDir) {
    }
}
