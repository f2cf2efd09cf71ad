package io.docstream.ingest.documents;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what producers may send, and the wait a 503 asks for. How long ingest waits for Kafka is the
 * {@code kafka-producer} call's {@code docstream.resilience.kafka-producer.timeout}.
 *
 * @param maxBodySize largest document body, as UTF-8 bytes; larger ones are answered 413
 * @param maxTitleLength longest title, in characters
 * @param maxMetadataEntries most metadata entries per document
 * @param maxMetadataValueLength longest metadata value, in characters
 * @param maxBatchSize most documents per batch request
 * @param retryAfter what a 503 tells the client to wait before retrying
 * @param statusWriteWait longest a write waits for PostgreSQL to record its accepted status after Kafka took it
 */
@ConfigurationProperties("docstream.ingest")
record IngestProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("1000") int maxTitleLength,
        @DefaultValue("64") int maxMetadataEntries,
        @DefaultValue("1000") int maxMetadataValueLength,
        @DefaultValue("1000") int maxBatchSize,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("2s") Duration statusWriteWait) {

    IngestProperties {
        require(maxBodySize.toBytes() > 0, "max-body-size");
        require(maxTitleLength > 0, "max-title-length");
        require(maxMetadataEntries >= 0, "max-metadata-entries");
        require(maxMetadataValueLength > 0, "max-metadata-value-length");
        require(maxBatchSize > 0, "max-batch-size");
        require(retryAfter.isPositive(), "retry-after");
        require(statusWriteWait.isPositive(), "status-write-wait");
    }

    private static void require(boolean valid, String property) {
        if (!valid) {
            throw new IllegalArgumentException("docstream.ingest." + property + " must be positive");
        }
    }
}
