package io.docstream.invalidator.invalidation;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;
import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.docstream.cache.CacheKeys;
import io.docstream.cache.ChangeLog;
import io.docstream.cache.TenantChanges;
import io.docstream.invalidator.audit.AuditLogSink;
import io.docstream.platform.redis.Redis;
import io.docstream.platform.redis.RedisUnavailableException;
import io.docstream.platform.redis.TestRedis;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.tracing.KafkaTraceHeaders;
import io.docstream.platform.tracing.RecordedSpans;
import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.db.tables.records.AuditLogRecord;
import io.docstream.schemas.db.tables.records.IndexingStatusRecord;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The invalidator topology against real PostgreSQL and a real Redis. */
class InvalidatorTopologyTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static TestRedis redis;
    private static Redis serviceRedis;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<DocumentKey, DocumentIndexed> indexed;
    private TestInputTopic<byte[], byte[]> rawIndexed;
    private TestOutputTopic<String, CacheInvalidated> invalidations;
    private TestOutputTopic<String, AuditEvent> auditEvents;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        serviceRedis = redis.serviceClient();
    }

    @AfterAll
    static void stopRedis() {
        serviceRedis.close();
        redis.close();
    }

    @BeforeEach
    void startTopology() {
        database.truncateAll();
        database.ensureTenant("acme");
        redis.commands().flushall();
        driver = driver(serviceRedis);
    }

    private TopologyTestDriver driver(Redis client) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "invalidator-tests");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        StreamsBuilder builder = new StreamsBuilder();
        new InvalidatorTopology(database.dsl(), client).build(builder);
        TopologyTestDriver created = new TopologyTestDriver(builder.build(), config);
        indexed = created.createInputTopic(Topics.INDEXED.name(), Topics.INDEXED.keySerde().serializer(),
                Topics.INDEXED.valueSerde().serializer());
        rawIndexed = created.createInputTopic(Topics.INDEXED.name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        invalidations = created.createOutputTopic(Topics.INVALIDATIONS.name(),
                Topics.INVALIDATIONS.keySerde().deserializer(), Topics.INVALIDATIONS.valueSerde().deserializer());
        auditEvents = created.createOutputTopic(Topics.AUDIT.name(), Topics.AUDIT.keySerde().deserializer(),
                Topics.AUDIT.valueSerde().deserializer());
        return created;
    }

    @AfterEach
    void stopTopology() {
        driver.close();
    }

    @Test
    void evictsTheDocumentFromRedisAndMovesTheTenantGenerationToAtLeastNow() {
        redis.commands().set(CacheKeys.document("acme", "doc-1"), "cached v6");
        redis.commands().set(CacheKeys.document("acme", "doc-2"), "cached");
        redis.commands().set(CacheKeys.generation("acme"), "5");
        long before = nowMicros();

        pipe(indexed("acme", "doc-1", 7, false, Instant.now()));

        assertThat(redis.commands().exists(CacheKeys.document("acme", "doc-1"))).isZero();
        assertThat(redis.commands().get(CacheKeys.document("acme", "doc-2"))).isEqualTo("cached");
        assertThat(Long.parseLong(redis.commands().get(CacheKeys.generation("acme"))))
                .isBetween(before, nowMicros());
    }

    @Test
    void movesAGenerationThatIsAheadOfTheClockByOne() {
        long ahead = nowMicros() + 3_600_000_000L;
        redis.commands().set(CacheKeys.generation("acme"), Long.toString(ahead));

        pipe(indexed("acme", "doc-1", 7, false, Instant.now()));
        pipe(indexed("acme", "doc-1", 8, false, Instant.now()));

        assertThat(redis.commands().get(CacheKeys.generation("acme"))).isEqualTo(Long.toString(ahead + 2));
    }

    @Test
    void startsFromTheClockWhenRedisLostTheGeneration() {
        long before = nowMicros();

        pipe(indexed("acme", "doc-1", 1, false, Instant.now()));

        assertThat(Long.parseLong(redis.commands().get(CacheKeys.generation("acme")))).isGreaterThanOrEqualTo(before);
    }

    @Test
    void leavesOtherTenantsGenerationsAlone() {
        database.ensureTenant("globex");
        redis.commands().set(CacheKeys.generation("globex"), "42");

        pipe(indexed("acme", "doc-1", 1, false, Instant.now()));

        assertThat(redis.commands().get(CacheKeys.generation("globex"))).isEqualTo("42");
    }

    @Test
    void announcesEachInvalidationOnRedisPubSubBeforeTheVersionIsReportedSearchable() throws Exception {
        BlockingQueue<CacheInvalidated> announced = new LinkedBlockingQueue<>();
        var deserializer = Topics.INVALIDATIONS.valueSerde().deserializer();
        try (AutoCloseable subscription = serviceRedis.subscribe(CacheKeys.INVALIDATIONS_CHANNEL,
                message -> announced.add(deserializer.deserialize(Topics.INVALIDATIONS.name(), message)),
                Duration.ofMillis(100))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.commands()
                    .pubsubNumsub(CacheKeys.INVALIDATIONS_CHANNEL).values().stream().anyMatch(count -> count > 0));
            indexingStatus("doc-1", 7, "indexed");

            pipe(indexed("acme", "doc-1", 7, false, Instant.now()));

            CacheInvalidated early = announced.poll(10, TimeUnit.SECONDS);
            CacheInvalidated durable = invalidations.readValue();
            assertThat(early).as("the announcement").isEqualTo(durable);
            assertThat(early.documentId()).isEqualTo("doc-1");
            assertThat(early.documentVersion()).isEqualTo(7);
            IndexingStatusRecord status = database.dsl().selectFrom(INDEXING_STATUS)
                    .where(INDEXING_STATUS.TENANT_ID.eq("acme"), INDEXING_STATUS.DOCUMENT_ID.eq("doc-1")).fetchOne();
            assertThat(status.getSearchableGeneration()).as("the generation recorded with the searchable version")
                    .isEqualTo(early.tenantGeneration());
        }
    }

    @Test
    void publishesTheInvalidationKeyedByTenantWithTheNewGenerationAndItsCause() {
        Instant indexedAt = Instant.now().minusMillis(250).truncatedTo(ChronoUnit.MICROS);
        Instant before = Instant.now();

        pipe(indexed("acme", "doc-1", 7, false, indexedAt));

        KeyValue<String, CacheInvalidated> record = invalidations.readKeyValue();
        assertThat(record.key).isEqualTo("acme");
        CacheInvalidated invalidated = record.value;
        assertThat(invalidated.tenant()).isEqualTo("acme");
        assertThat(invalidated.keys()).containsExactly(CacheKeys.document("acme", "doc-1"));
        assertThat(invalidated.tenantGeneration())
                .isEqualTo(Long.parseLong(redis.commands().get(CacheKeys.generation("acme"))));
        assertThat(invalidated.reason()).isEqualTo("document.indexed");
        assertThat(invalidated.causedAt()).isEqualTo(indexedAt);
        assertThat(invalidated.invalidatedAt()).isBetween(before, Instant.now());
        assertThat(invalidations.isEmpty()).isTrue();
    }

    @Test
    void recordsEachChangeInTheTenantsHistoryChainedToThePreviousGeneration() {
        pipe(indexed("acme", "doc-1", 1, false, Instant.now()));
        pipe(indexed("acme", "doc-2", 1, true, Instant.now()));

        CacheInvalidated first = invalidations.readValue();
        CacheInvalidated second = invalidations.readValue();
        assertThat(first.documentId()).isEqualTo("doc-1");
        assertThat(second.documentId()).isEqualTo("doc-2");
        assertThat(second.previousGeneration()).isEqualTo(first.tenantGeneration());
        TenantChanges history = new TenantChanges(10);
        new ChangeLog(serviceRedis).read("acme", 0).forEach(history::add);
        assertThat(history.documentsChanged(first.previousGeneration(), second.tenantGeneration()))
                .hasValue(Set.of("doc-1", "doc-2"));
    }

    @Test
    void publishesDeletesWithTheirOwnReason() {
        pipe(indexed("acme", "doc-1", 8, true, Instant.now()));

        assertThat(invalidations.readValue().reason()).isEqualTo("document.deleted");
    }

    @Test
    void marksTheVersionSearchableOnlyForward() {
        indexingStatus("doc-1", 7, "indexed");
        Instant before = Instant.now();

        pipe(indexed("acme", "doc-1", 7, false, Instant.now()));

        IndexingStatusRecord status = status("doc-1");
        assertThat(status.getSearchableVersion()).isEqualTo(7);
        assertThat(status.getSearchableAt().toInstant()).isBetween(before.truncatedTo(ChronoUnit.MICROS),
                Instant.now());

        pipe(indexed("acme", "doc-1", 5, false, Instant.now()));

        assertThat(status("doc-1").getSearchableVersion()).isEqualTo(7);
        assertThat(status("doc-1").getSearchableAt()).isEqualTo(status.getSearchableAt());
    }

    @Test
    void whenRedisIsDownNothingIsMarkedSearchableAuditedOrPublished() {
        indexingStatus("doc-1", 7, "indexed");
        driver.close();
        Redis unreachable = TestRedis.unreachableServiceClient();
        try {
            driver = driver(unreachable);

            assertThatThrownBy(() -> pipe(indexed("acme", "doc-1", 7, false, Instant.now())))
                    .hasCauseInstanceOf(RedisUnavailableException.class);

            assertThat(status("doc-1").getSearchableVersion()).isNull();
            assertThat(database.dsl().fetchCount(AUDIT_LOG)).isZero();
            assertThat(auditEvents.isEmpty()).isTrue();
            assertThat(invalidations.isEmpty()).isTrue();
        } finally {
            unreachable.close();
        }
    }

    @Test
    void publishesTheVersionsAuditEventKeyedByTenantWithItsTrace() {
        Instant indexedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DocumentIndexed event = indexed("acme", "doc-1", 7, false, indexedAt);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.US_ASCII));

        indexed.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(event.key(), event, headers));

        KeyValue<String, AuditEvent> published = auditEvents.readKeyValue();
        assertThat(published.key).isEqualTo("acme");
        assertThat(published.value).isEqualTo(new AuditEvent(IndexedAudit.id(event), "acme", "system:indexer",
                "document.indexed", "document:acme/doc-1@7", "succeeded", null, traceId, indexedAt));
        assertThat(auditEvents.isEmpty()).isTrue();
    }

    @Test
    void sinksTheVersionsAuditEventIntoTheAuditLog() {
        Instant indexedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DocumentIndexed event = indexed("acme", "doc-1", 7, false, indexedAt);

        pipe(event);
        sinkAudit();

        List<AuditLogRecord> rows = database.dsl().selectFrom(AUDIT_LOG).fetch();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.getAuditId()).isEqualTo(IndexedAudit.id(event));
            assertThat(row.getTenantId()).isEqualTo("acme");
            assertThat(row.getActor()).isEqualTo("system:indexer");
            assertThat(row.getAction()).isEqualTo("document.indexed");
            assertThat(row.getResource()).isEqualTo("document:acme/doc-1@7");
            assertThat(row.getOutcome()).isEqualTo("succeeded");
            assertThat(row.getOccurredAt()).isEqualTo(indexedAt.atOffset(ZoneOffset.UTC));
        });
    }

    @Test
    void auditsDeletesAsDocumentDeleted() {
        pipe(indexed("acme", "doc-1", 8, true, Instant.now()));
        sinkAudit();

        assertThat(database.dsl().select(AUDIT_LOG.ACTION, AUDIT_LOG.RESOURCE).from(AUDIT_LOG).fetch())
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.value1()).isEqualTo("document.deleted");
                    assertThat(row.value2()).isEqualTo("document:acme/doc-1@8");
                });
    }

    @Test
    void aReplayedEventWritesNoDuplicateAuditRecordAndInvalidatesAgain() {
        DocumentIndexed event = indexed("acme", "doc-1", 7, false, Instant.now());

        pipe(event);
        List<AuditEvent> published = new ArrayList<>(sinkAudit());
        pipe(event);
        published.addAll(sinkAudit());

        assertThat(database.dsl().fetchCount(AUDIT_LOG)).isEqualTo(1);
        assertThat(published).extracting(AuditEvent::id).containsOnly(IndexedAudit.id(event)).hasSize(2);
        assertThat(invalidations.readValuesToList()).hasSize(2);
    }

    @Test
    void keepsEventsOfAnEarlierMonthInTheirOwnPartition() {
        Instant lastYear = Instant.now().minus(400, ChronoUnit.DAYS);

        pipe(indexed("acme", "doc-1", 3, false, lastYear));
        sinkAudit();

        String partition = "audit_log_" + lastYear.atOffset(ZoneOffset.UTC).getYear() + "_"
                + String.format("%02d", lastYear.atOffset(ZoneOffset.UTC).getMonthValue());
        assertThat(database.dsl().fetchCount(database.dsl().selectFrom(partition))).isEqualTo(1);
    }

    @Test
    void skipsAMalformedRecordAndHandlesTheNextOne() {
        rawIndexed.pipeInput("acme/doc-1".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8));
        pipe(indexed("acme", "doc-2", 1, false, Instant.now()));
        sinkAudit();

        assertThat(database.dsl().select(AUDIT_LOG.RESOURCE).from(AUDIT_LOG).fetch(AUDIT_LOG.RESOURCE))
                .containsExactly("document:acme/doc-2@1");
        assertThat(invalidations.readValue().keys()).containsExactly(CacheKeys.document("acme", "doc-2"));
    }

    @Test
    void namesEveryNode() {
        assertThat(new InvalidatorTopology(database.dsl(), serviceRedis).topology().describe().toString())
                .doesNotContain("KSTREAM-");
    }

    @Test
    void theInvalidationAndItsAuditEventAreWrittenInAnInvalidateSpanOfTheDocumentsTrace() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        DocumentIndexed event = indexed("acme", "doc-1", 3, false, Instant.now());
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.US_ASCII));

        try (RecordedSpans spans = RecordedSpans.install()) {
            indexed.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(event.key(), event, headers));

            SpanData invalidate = spans.only("invalidate");
            assertThat(invalidate.getTraceId()).isEqualTo(traceId);
            assertThat(invalidate.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(invalidate.getAttributes().asMap())
                    .containsEntry(AttributeKey.stringKey("docstream.tenant"), "acme")
                    .containsEntry(AttributeKey.stringKey("docstream.document_id"), "doc-1")
                    .containsEntry(AttributeKey.longKey("docstream.version"), 3L)
                    .containsEntry(AttributeKey.longKey("docstream.keys_evicted"), 1L)
                    .containsKey(AttributeKey.longKey("docstream.generation"));
            TraceContext invalidation = KafkaTraceHeaders.read(invalidations.readRecord().headers());
            TraceContext auditEvent = KafkaTraceHeaders.read(auditEvents.readRecord().headers());
            assertThat(List.of(invalidation, auditEvent)).allSatisfy(written -> {
                assertThat(written.traceId()).isEqualTo(traceId);
                assertThat(written.restore().getSpanId()).isEqualTo(invalidate.getSpanId());
            });
        }
    }

    /** What the audit log's consumer does with the audit events the topology published: one batch, written. */
    private List<AuditEvent> sinkAudit() {
        List<AuditEvent> published = auditEvents.readValuesToList();
        new AuditLogSink(database.dsl()).write(published);
        return published;
    }

    private void pipe(DocumentIndexed event) {
        indexed.pipeInput(event.key(), event);
    }

    /** The row the indexer writes before its event becomes readable. */
    private static void indexingStatus(String documentId, long version, String state) {
        database.dsl().insertInto(INDEXING_STATUS)
                .set(INDEXING_STATUS.TENANT_ID, "acme")
                .set(INDEXING_STATUS.DOCUMENT_ID, documentId)
                .set(INDEXING_STATUS.ACCEPTED_VERSION, version)
                .set(INDEXING_STATUS.INDEXED_VERSION, version)
                .set(INDEXING_STATUS.STATE, state)
                .execute();
    }

    private static IndexingStatusRecord status(String documentId) {
        return database.dsl().selectFrom(INDEXING_STATUS)
                .where(INDEXING_STATUS.TENANT_ID.eq("acme").and(INDEXING_STATUS.DOCUMENT_ID.eq(documentId)))
                .fetchSingle();
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static DocumentIndexed indexed(String tenant, String id, long version, boolean deleted,
            Instant indexedAt) {
        return new DocumentIndexed(tenant, id, version, deleted ? List.of() : List.of("hash-1", "hash-2"),
                deleted ? 0 : 2, deleted, "all-minilm-l6-v2-q", indexedAt.minusSeconds(1), indexedAt);
    }
}
