package io.docstream.query.admin;

import io.docstream.platform.kafka.KafkaClients;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Counts a tenant's live documents on the compacted documents topic: reads every partition from the start
 * to the end it had when the scan began, keeps the newest command per document (a delete wins a tie, as in
 * the indexer) and counts those that are not deletes. Bounded in time; other tenants' values are never
 * parsed.
 */
final class TopicDocuments {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaClients kafka;
    private final Duration timeout;

    TopicDocuments(KafkaClients kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** The tenant's live documents; {@code complete} is false when the scan ran out of time. */
    record Count(long live, boolean complete) {
    }

    Count count(String tenant) {
        byte[] prefix = (tenant + "/").getBytes(StandardCharsets.UTF_8);
        Deserializer<DocumentCommand> commands = Topics.DOCUMENTS.valueSerde().deserializer();
        Map<String, Newest> newest = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DOCUMENTS.name(), timeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            while (!reachedEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    return new Count(live(newest), false);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.key() != null && startsWith(record.key(), prefix)) {
                        apply(newest, new String(record.key(), StandardCharsets.UTF_8), record.value(), commands);
                    }
                }
            }
            return new Count(live(newest), true);
        }
    }

    private static void apply(Map<String, Newest> newest, String key, byte[] value,
            Deserializer<DocumentCommand> commands) {
        if (value == null) {
            newest.remove(key);
            return;
        }
        DocumentCommand command;
        try {
            command = commands.deserialize(Topics.DOCUMENTS.name(), value);
        } catch (RuntimeException e) {
            return;
        }
        boolean deleted = command instanceof DeleteDocument;
        newest.merge(key, new Newest(command.version(), deleted), (held, next) ->
                next.version() > held.version() || (next.version() == held.version() && next.deleted()) ? next : held);
    }

    private static long live(Map<String, Newest> newest) {
        return newest.values().stream().filter(entry -> !entry.deleted()).count();
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = kafka.settings("docstream-query-api-status");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_COMMAND_BYTES);
        return properties;
    }

    private record Newest(long version, boolean deleted) {
    }
}
