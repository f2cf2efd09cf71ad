package io.docstream.invalidator.audit;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.core.testing.TestDatabase;
import io.docstream.schemas.db.tables.records.AuditLogRecord;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidatorTopologyTests {

    private static final TestDatabase database = TestDatabase.shared();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<DocumentKey, DocumentIndexed> indexed;
    private TestInputTopic<byte[], byte[]> rawIndexed;

    @BeforeEach
    void startTopology() {
        database.truncateAll();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "invalidator-tests");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        driver = new TopologyTestDriver(new InvalidatorTopology(database.dsl()).topology(), config);
        indexed = driver.createInputTopic(Topics.INDEXED.name(), Topics.INDEXED.keySerde().serializer(),
                Topics.INDEXED.valueSerde().serializer());
        rawIndexed = driver.createInputTopic(Topics.INDEXED.name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
    }

    @AfterEach
    void stopTopology() {
        driver.close();
    }

    @Test
    void writesOneAuditRecordPerIndexedVersion() {
        Instant indexedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DocumentIndexed event = indexed("acme", "doc-1", 7, false, indexedAt);

        indexed.pipeInput(event.key(), event);

        List<AuditLogRecord> rows = database.dsl().selectFrom(AUDIT_LOG).fetch();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.getAuditId()).isEqualTo(AuditLog.auditId(event));
            assertThat(row.getTenantId()).isEqualTo("acme");
            assertThat(row.getActor()).isEqualTo("indexer");
            assertThat(row.getAction()).isEqualTo("document.indexed");
            assertThat(row.getResource()).isEqualTo("document:acme/doc-1@7");
            assertThat(row.getOutcome()).isEqualTo("success");
            assertThat(row.getOccurredAt()).isEqualTo(indexedAt.atOffset(ZoneOffset.UTC));
        });
    }

    @Test
    void auditsDeletesAsDocumentDeleted() {
        DocumentIndexed event = indexed("acme", "doc-1", 8, true, Instant.now());

        indexed.pipeInput(event.key(), event);

        assertThat(database.dsl().select(AUDIT_LOG.ACTION, AUDIT_LOG.RESOURCE).from(AUDIT_LOG).fetch())
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.value1()).isEqualTo("document.deleted");
                    assertThat(row.value2()).isEqualTo("document:acme/doc-1@8");
                });
    }

    @Test
    void writesNoDuplicateWhenTheSameEventArrivesTwice() {
        DocumentIndexed event = indexed("acme", "doc-1", 7, false, Instant.now());

        indexed.pipeInput(event.key(), event);
        indexed.pipeInput(event.key(), event);

        assertThat(database.dsl().fetchCount(AUDIT_LOG)).isEqualTo(1);
    }

    @Test
    void keepsEventsOfAnEarlierMonthInTheirOwnPartition() {
        Instant lastYear = Instant.now().minus(400, ChronoUnit.DAYS);
        DocumentIndexed event = indexed("acme", "doc-1", 3, false, lastYear);

        indexed.pipeInput(event.key(), event);

        String partition = "audit_log_" + lastYear.atOffset(ZoneOffset.UTC).getYear() + "_"
                + String.format("%02d", lastYear.atOffset(ZoneOffset.UTC).getMonthValue());
        assertThat(database.dsl().fetchCount(database.dsl().selectFrom(partition))).isEqualTo(1);
    }

    @Test
    void skipsAMalformedRecordAndWritesTheNextOne() {
        DocumentIndexed event = indexed("acme", "doc-2", 1, false, Instant.now());

        rawIndexed.pipeInput("acme/doc-1".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8));
        indexed.pipeInput(event.key(), event);

        assertThat(database.dsl().select(AUDIT_LOG.RESOURCE).from(AUDIT_LOG).fetch(AUDIT_LOG.RESOURCE))
                .containsExactly("document:acme/doc-2@1");
    }

    @Test
    void namesEveryNode() {
        assertThat(new InvalidatorTopology(database.dsl()).topology().describe().toString())
                .doesNotContain("KSTREAM-");
    }

    private static DocumentIndexed indexed(String tenant, String id, long version, boolean deleted,
            Instant indexedAt) {
        return new DocumentIndexed(tenant, id, version, deleted ? List.of() : List.of("hash-1", "hash-2"),
                deleted ? 0 : 2, deleted, "all-minilm-l6-v2-q", indexedAt.minusSeconds(1), indexedAt);
    }
}
