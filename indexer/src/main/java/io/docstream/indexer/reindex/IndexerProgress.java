package io.docstream.indexer.reindex;

import io.docstream.platform.kafka.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets the indexer's consumer group has committed on the documents topic: every command before them is in
 * the search index the indexer writes. A partition it has committed nothing on is missing from the map.
 */
final class IndexerProgress implements Supplier<Map<TopicPartition, Long>> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final String groupId;
    private final String topic;

    IndexerProgress(KafkaClients kafka, String groupId, String topic) {
        this.kafka = kafka;
        this.groupId = groupId;
        this.topic = topic;
    }

    @Override
    public Map<TopicPartition, Long> get() {
        Map<String, Object> settings = kafka.settings("docstream-reindex-progress");
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(settings)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (offset != null && partition.topic().equals(topic)) {
                    offsets.put(partition, offset.offset());
                }
            });
            return offsets;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the offsets of group " + groupId, e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the offsets of group " + groupId + ": " + e.getMessage(), e);
        }
    }
}
