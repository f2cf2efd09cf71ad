package io.docstream.cli.dlq;

import static org.awaitility.Awaitility.await;

import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Makes a real DLQ entry: a command written behind ingest's back that the indexer cannot apply. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * Writes {@code command} straight to the documents topic (e.g. for a tenant that does not exist yet, which the
     * indexer dead-letters) and waits until its entry is on the DLQ topic. The topic is read directly: before the
     * tenant exists, no API key can see the entry.
     */
    public static void deadLetter(String bootstrapServers, UpsertDocument command, Duration wait) {
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<DocumentKey, DocumentCommand> producer = new KafkaProducer<>(producerConfig,
                Topics.DOCUMENTS.keySerde().serializer(), Topics.DOCUMENTS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), command.key(), command)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dead-letters-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        byte[] wanted = command.key().toString().getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DOCUMENTS_DLQ.name()));
            await().atMost(wait).until(() -> StreamSupport.stream(consumer.poll(Duration.ofMillis(500)).spliterator(),
                    false).anyMatch(record -> Arrays.equals(record.key(), wanted)));
        }
    }
}
