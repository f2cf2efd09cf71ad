package io.docstream.indexer;

import io.docstream.indexer.indexing.BatchSettings;
import io.docstream.indexer.indexing.PoisonPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The indexer's settings under {@code docstream.*}.
 *
 * @param indexer batching: {@code docstream.indexer.batch-size} documents per flush (32),
 *        {@code flush-interval} (100ms), {@code embed-batch-size} texts per model call (32); a command failing on its own data is tried
 *        {@code max-attempts} times alone (3), pausing {@code retry-backoff} (100ms) doubling, before the DLQ
 * @param streams {@code docstream.streams.state-dir}, where Kafka Streams keeps its local stores
 */
@ConfigurationProperties("docstream")
public record IndexerProperties(@DefaultValue Indexer indexer, @DefaultValue Streams streams) {

    public record Indexer(@DefaultValue("32") int batchSize, @DefaultValue("100ms") Duration flushInterval,
            @DefaultValue("32") int embedBatchSize, @DefaultValue("3") int maxAttempts,
            @DefaultValue("100ms") Duration retryBackoff) {

        public BatchSettings batchSettings() {
            return new BatchSettings(batchSize, flushInterval, embedBatchSize);
        }

        public PoisonPolicy poisonPolicy() {
            return new PoisonPolicy(maxAttempts, retryBackoff);
        }
    }

    public record Streams(@DefaultValue(".docstream/streams/indexer") Path stateDir) {
    }
}
