package io.docstream.indexer.faults;

import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.docstream.indexer.IndexerApplication;
import io.docstream.indexer.IndexerArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexTargets;
import io.docstream.search.SearchIndex;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The whole indexer app (real broker, PostgreSQL, Lucene, ONNX model) over an index adapter whose writes fail for
 * a while: the stream thread stops and is replaced after a pause each time, nothing is dead-lettered or announced
 * as indexed meanwhile, and once the index answers again every document is indexed at its newest version.
 */
class IndexWriteFailureIntegrationTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final String TENANT = "index-faults";
    private static final int FAILED_WRITES = 3;

    @TempDir
    static Path temp;

    private static EmbeddedKafkaKraftBroker kafka;
    private static ConfigurableApplicationContext indexer;
    private static FailingWritesIndex index;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database.ensureTenant(TENANT);
        indexer = IndexerApplication.builder()
                .initializers(context -> ((GenericApplicationContext) context).registerBean("failingWritesIndex",
                        SearchIndex.class, () -> {
                            index = new FailingWritesIndex(context.getBean(IndexTargets.class).serving());
                            return index;
                        }))
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

    // The stream thread's failures are the point here: Awaitility must not take them for the test's.
    @Test
    void anIndexThatFailsWritesPausesTheStreamWithBackoffAndLosesNothing() throws Exception {
        produce(upsert("heron", 1, "Herons stand still in shallow water."));
        awaitIndexed(Map.of("heron", 1L));

        index.failWrites(FAILED_WRITES);
        produce(upsert("heron", 2, "Herons wait motionless in shallow water for frogs."),
                upsert("kingfisher", 1, "Kingfishers dive into rivers to catch small fish."),
                upsert("kingfisher", 3, "Kingfishers dive from a perch to catch minnows."),
                upsert("puffin", 5, "Puffins nest in burrows on sea cliffs."),
                upsert("gannet", 1, "Gannets plunge into the sea from great heights."),
                new DeleteDocument(TENANT, "gannet", 2, Instant.now()));

        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> index.refusedWrites().size() == FAILED_WRITES);
        List<Instant> refused = index.refusedWrites();
        for (int i = 1; i < refused.size(); i++) {
            assertThat(Duration.between(refused.get(i - 1), refused.get(i)))
                    .as("the stream pauses before it tries the index again").isGreaterThan(Duration.ofMillis(1_500));
        }

        Map<String, Long> expected = Map.of("heron", 2L, "kingfisher", 3L, "puffin", 5L, "gannet", 2L);
        awaitIndexed(expected);
        assertThat(keyword("frogs")).extracting(DocumentHit::documentId, DocumentHit::version)
                .containsExactly(tuple("heron", 2L));
        assertThat(keyword("minnows")).extracting(DocumentHit::version).containsExactly(3L);
        assertThat(keyword("gannets plunge")).isEmpty();
        assertThat(index.countDocuments(TENANT)).isEqualTo(3);
        for (String id : List.of("heron", "kingfisher", "puffin")) {
            assertThat(database.dsl().select(DOCUMENTS.VERSION).from(DOCUMENTS)
                    .where(DOCUMENTS.TENANT_ID.eq(TENANT), DOCUMENTS.DOCUMENT_ID.eq(id)).fetchOne(DOCUMENTS.VERSION))
                    .isEqualTo(expected.get(id));
        }
        assertThat(deadLetters()).as("an unavailable index is no poison").isZero();
        assertThat(indexer.getBean(MeterRegistry.class).get("docstream.indexer.poison.retries").counter().count())
                .isZero();
    }

    /** Waits until the indexed topic announced each document at its version (and never a newer one). */
    private static void awaitIndexed(Map<String, Long> versions) {
        Map<String, Long> announced = new HashMap<>();
        try (KafkaConsumer<DocumentKey, DocumentIndexed> consumer = new KafkaConsumer<>(consumerConfig(),
                Topics.INDEXED.keySerde().deserializer(), Topics.INDEXED.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.INDEXED.name()));
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value().tenant().equals(TENANT)) {
                        announced.merge(record.value().documentId(), record.value().version(), Math::max);
                    }
                });
                assertThat(announced).containsAllEntriesOf(versions);
            });
        }
    }

    private static long deadLetters() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DOCUMENTS_DLQ.name()));
            long count = 0;
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static List<DocumentHit> keyword(String text) {
        return index.searchKeyword(new IndexQuery(TENANT, 10, Map.of()), text);
    }

    private static UpsertDocument upsert(String id, long version, String body) {
        return new UpsertDocument(TENANT, id, version, id, body, Map.of(), Instant.now());
    }

    private static void produce(DocumentCommand... commands) throws Exception {
        try (KafkaProducer<DocumentKey, DocumentCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all"),
                Topics.DOCUMENTS.keySerde().serializer(), Topics.DOCUMENTS.valueSerde().serializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (DocumentCommand command : commands) {
                sent.add(producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), command.key(), command)));
            }
            for (Future<?> send : sent) {
                send.get();
            }
        }
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "index-faults-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
}
