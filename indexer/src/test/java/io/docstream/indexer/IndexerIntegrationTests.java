package io.docstream.indexer;

import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.SearchIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The whole indexer app against a real KRaft broker, PostgreSQL, Lucene index and ONNX model. */
class IndexerIntegrationTests {

    private static final TestDatabase database = TestDatabase.shared();

    @TempDir
    static Path temp;

    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext indexer;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database.truncateAll();
        database.ensureTenant("acme");
        indexer = IndexerApplication.builder()
                .run(IndexerArguments.under(temp, database, kafka.getBrokersAsString()).commandLine());
    }

    @AfterAll
    static void stop() {
        if (indexer != null) {
            indexer.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void aProducedCommandBecomesAnIndexedEventAndIsSearchable() {
        UpsertDocument command = new UpsertDocument("acme", "doc-1", 1, "Kingfishers",
                "Kingfishers dive into rivers to catch small fish.", Map.of("topic", "birds"), Instant.now());

        try (KafkaProducer<DocumentKey, DocumentCommand> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), command.key(), command)).get();
        } catch (Exception e) {
            throw new AssertionError("could not produce the command", e);
        }

        List<DocumentIndexed> events = new ArrayList<>();
        try (KafkaConsumer<DocumentKey, DocumentIndexed> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.INDEXED.name()));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> events.add(record.value()));
                assertThat(events).isNotEmpty();
            });
        }

        DocumentIndexed event = events.getFirst();
        assertThat(event.key()).isEqualTo(command.key());
        assertThat(event.version()).isEqualTo(1);
        assertThat(event.deleted()).isFalse();
        assertThat(event.chunkHashes()).isNotEmpty();
        SearchIndex index = indexer.getBean(SearchIndex.class);
        assertThat(index.searchKeyword(new IndexQuery("acme", 5, Map.of()), "kingfishers"))
                .extracting(DocumentHit::documentId)
                .contains("doc-1");
        assertThat(database.dsl().select(DOCUMENTS.VERSION).from(DOCUMENTS)
                .where(DOCUMENTS.DOCUMENT_ID.eq("doc-1")).fetchOne(DOCUMENTS.VERSION)).isEqualTo(1);
    }

    private static KafkaProducer<DocumentKey, DocumentCommand> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all"),
                Topics.DOCUMENTS.keySerde().serializer(), Topics.DOCUMENTS.valueSerde().serializer());
    }

    private static KafkaConsumer<DocumentKey, DocumentIndexed> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "indexer-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.INDEXED.keySerde().deserializer(), Topics.INDEXED.valueSerde().deserializer());
    }
}
