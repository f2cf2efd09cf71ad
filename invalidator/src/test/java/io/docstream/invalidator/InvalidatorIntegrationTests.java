package io.docstream.invalidator;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;
import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cache.CacheKeys;
import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.db.tables.records.AuditLogRecord;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.QueryExecuted;
import io.docstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The invalidator app against a real KRaft broker, PostgreSQL and Redis. */
class InvalidatorIntegrationTests {

    private static final TestDatabase database = TestDatabase.shared();

    @TempDir
    static Path temp;

    private static EmbeddedKafkaKraftBroker kafka;
    private static TestRedis redis;
    private static ConfigurableApplicationContext invalidator;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        redis = TestRedis.start();
        database.truncateAll();
        database.ensureTenant("acme");
        invalidator = InvalidatorApplication.builder().run(ServiceArguments.create().anyPort().database(database)
                .kafka(kafka.getBrokersAsString()).redis(redis.uri())
                .set("docstream.streams.state-dir", temp.resolve("streams"))
                .commandLine());
    }

    @AfterAll
    static void stop() {
        if (invalidator != null) {
            invalidator.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void anIndexedVersionIsEvictedAuditedMarkedSearchableAndPublished() throws Exception {
        String id = "doc-" + UUID.randomUUID();
        indexedByTheIndexer(id, 3);
        redis.commands().set(CacheKeys.document("acme", id), "cached v2");
        DocumentIndexed event = event(id, 3);

        try (KafkaConsumer<String, CacheInvalidated> consumer = invalidationsConsumer()) {
            publish(event);

            await().atMost(Duration.ofSeconds(60)).until(() -> searchableVersion(id) != null);
            assertThat(searchableVersion(id)).isEqualTo(3);
            assertThat(redis.commands().exists(CacheKeys.document("acme", id))).isZero();
            // The audit event goes through the audit topic, sunk by the audit log's consumer.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.dsl()
                    .select(AUDIT_LOG.RESOURCE).from(AUDIT_LOG).where(AUDIT_LOG.ACTION.eq("document.indexed"))
                    .fetch(AUDIT_LOG.RESOURCE)).contains("document:acme/" + id + "@3"));
            List<CacheInvalidated> published = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    assertThat(record.key()).isEqualTo("acme");
                    published.add(record.value());
                });
                assertThat(published).anySatisfy(invalidated -> {
                    assertThat(invalidated.keys()).containsExactly(CacheKeys.document("acme", id));
                    assertThat(invalidated.causedAt()).isEqualTo(event.indexedAt());
                    assertThat(invalidated.tenantGeneration()).isGreaterThan(0);
                });
            });
        }
    }

    @Test
    void nothingBecomesSearchableWhileRedisIsDownAndTheVersionCatchesUpWhenItReturns() throws Exception {
        String warmUp = "doc-" + UUID.randomUUID();
        indexedByTheIndexer(warmUp, 1);
        publish(event(warmUp, 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> searchableVersion(warmUp) != null);
        String id = "doc-" + UUID.randomUUID();
        indexedByTheIndexer(id, 5);
        redis.stop();
        try {
            publish(event(id, 5));

            // The failing stream thread dies with its exception (Streams rethrows it after asking for a
            // replacement); Awaitility would otherwise report that as the test's failure.
            await().dontCatchUncaughtExceptions().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> searchableVersion(id) == null);
        } finally {
            redis.restart();
        }

        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60))
                .until(() -> searchableVersion(id) != null);
        assertThat(searchableVersion(id)).isEqualTo(5);
        assertThat(redis.commands().get(CacheKeys.generation("acme"))).isNotNull();
    }

    @Test
    void everyServicesAuditEventIsSunkOnceAndARecordThatIsNotOneIsSkipped() throws Exception {
        AuditEvent upsert = audit("document.upsert", "document:acme/doc-9@3");
        AuditEvent replay = new AuditEvent(UUID.randomUUID(), "globex", "key:" + UUID.randomUUID(), "replay",
                "topic:docstream.documents.v1", "succeeded", null, null, Instant.now().truncatedTo(ChronoUnit.MICROS));
        AuditEvent after = audit("document.delete", "document:acme/doc-9@4");

        publishAudit(upsert, replay, upsert);
        publishRawAudit("{not json".getBytes(StandardCharsets.UTF_8));
        publishAudit(after);

        await().atMost(Duration.ofSeconds(30)).until(() -> auditRows(upsert, replay, after).size() == 3);
        Thread.sleep(500);
        List<AuditLogRecord> rows = auditRows(upsert, replay, after);
        assertThat(rows).extracting(AuditLogRecord::getAuditId).as("the duplicate written once")
                .containsExactlyInAnyOrder(upsert.id(), replay.id(), after.id());
        assertThat(rows).filteredOn(row -> row.getAuditId().equals(upsert.id())).singleElement().satisfies(row -> {
            assertThat(row.getTenantId()).isEqualTo("acme");
            assertThat(row.getActor()).isEqualTo(upsert.actor());
            assertThat(row.getAction()).isEqualTo("document.upsert");
            assertThat(row.getResource()).isEqualTo("document:acme/doc-9@3");
            assertThat(row.getOutcome()).isEqualTo("accepted");
            assertThat(row.getRequestId()).isEqualTo("r-123");
            assertThat(row.getTraceId()).isEqualTo(upsert.traceId());
            assertThat(row.getOccurredAt()).isEqualTo(upsert.time().atOffset(ZoneOffset.UTC));
        });
    }

    @Test
    void aSearchOnTheQueriesTopicIsAuditedOnceFromTheEventItself() throws Exception {
        QueryExecuted query = new QueryExecuted(UUID.randomUUID(), "acme", "0".repeat(64), "kingfisher nests",
                "hybrid", "weighted", 10, 0, Map.of(), 900, "l1", List.of("doc-1"), List.of(),
                UUID.randomUUID().toString(), "r-search", null, Instant.now().truncatedTo(ChronoUnit.MICROS));
        try (KafkaProducer<String, QueryExecuted> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                Topics.QUERIES.keySerde().serializer(), Topics.QUERIES.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.QUERIES.name(), query.tenant(), query)).get();
            producer.send(new ProducerRecord<>(Topics.QUERIES.name(), query.tenant(), query)).get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> database.dsl().fetchCount(AUDIT_LOG,
                AUDIT_LOG.AUDIT_ID.eq(query.id())) == 1);
        AuditLogRecord row = database.dsl().selectFrom(AUDIT_LOG).where(AUDIT_LOG.AUDIT_ID.eq(query.id())).fetchOne();
        assertThat(row.getAction()).isEqualTo("search");
        assertThat(row.getResource()).contains("\"kingfisher nests\"");
        assertThat(row.getRequestId()).isEqualTo("r-search");
    }

    @Test
    void auditEventsPostgreSQLRefusesAreWrittenOnceItAcceptsThemAgain() throws Exception {
        database.dsl().execute("create or replace function refuse_audit() returns trigger language plpgsql as"
                + " $$ begin raise exception 'audit_log refuses writes (test)'; end $$");
        database.dsl().execute("create trigger refuse_audit before insert on audit_log for each row"
                + " execute function refuse_audit()");
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(audit("document.upsert", "document:acme/refused-" + i + "@1"));
        }
        AuditEvent[] all = events.toArray(AuditEvent[]::new);
        try {
            publishAudit(all);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> auditRows(all).isEmpty());
        } finally {
            database.dsl().execute("drop trigger refuse_audit on audit_log");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> auditRows(all).size() == all.length);
        assertThat(auditRows(all)).extracting(AuditLogRecord::getAuditId)
                .containsExactlyInAnyOrderElementsOf(events.stream().map(AuditEvent::id).toList());
    }

    private static AuditEvent audit(String action, String resource) {
        return new AuditEvent(UUID.randomUUID(), "acme", "key:" + UUID.randomUUID(), action, resource, "accepted",
                "r-123", "4bf92f3577b34da6a3ce929d0e0e4736", Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private static List<AuditLogRecord> auditRows(AuditEvent... events) {
        return database.dsl().selectFrom(AUDIT_LOG)
                .where(AUDIT_LOG.AUDIT_ID.in(Arrays.stream(events).map(AuditEvent::id).toList())).fetch();
    }

    private static void publishAudit(AuditEvent... events) throws Exception {
        try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                Topics.AUDIT.keySerde().serializer(), Topics.AUDIT.valueSerde().serializer())) {
            for (AuditEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.AUDIT.name(), event.tenant(), event)).get();
            }
        }
    }

    private static void publishRawAudit(byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.AUDIT.name(), "acme".getBytes(StandardCharsets.UTF_8), value))
                    .get();
        }
    }

    private static KafkaConsumer<String, CacheInvalidated> invalidationsConsumer() {
        KafkaConsumer<String, CacheInvalidated> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.INVALIDATIONS.keySerde().deserializer(), Topics.INVALIDATIONS.valueSerde().deserializer());
        consumer.assign(consumer.partitionsFor(Topics.INVALIDATIONS.name()).stream()
                .map(info -> new org.apache.kafka.common.TopicPartition(info.topic(), info.partition()))
                .toList());
        consumer.seekToBeginning(consumer.assignment());
        return consumer;
    }

    private static void publish(DocumentIndexed event) throws Exception {
        try (KafkaProducer<DocumentKey, DocumentIndexed> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                Topics.INDEXED.keySerde().serializer(), Topics.INDEXED.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.INDEXED.name(), event.key(), event)).get();
        }
    }

    private static DocumentIndexed event(String id, long version) {
        Instant now = Instant.now();
        return new DocumentIndexed("acme", id, version, List.of("hash"), 1, false, "all-minilm-l6-v2-q",
                now.minusSeconds(1), now);
    }

    /** The status row the indexer writes before its event becomes readable. */
    private static void indexedByTheIndexer(String id, long version) {
        database.dsl().insertInto(INDEXING_STATUS)
                .set(INDEXING_STATUS.TENANT_ID, "acme")
                .set(INDEXING_STATUS.DOCUMENT_ID, id)
                .set(INDEXING_STATUS.ACCEPTED_VERSION, version)
                .set(INDEXING_STATUS.INDEXED_VERSION, version)
                .set(INDEXING_STATUS.STATE, "indexed")
                .execute();
    }

    private static Long searchableVersion(String id) {
        return database.dsl().select(INDEXING_STATUS.SEARCHABLE_VERSION).from(INDEXING_STATUS)
                .where(INDEXING_STATUS.TENANT_ID.eq("acme").and(INDEXING_STATUS.DOCUMENT_ID.eq(id)))
                .fetchOne(INDEXING_STATUS.SEARCHABLE_VERSION);
    }
}
