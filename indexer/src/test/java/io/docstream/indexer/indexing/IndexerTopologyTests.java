package io.docstream.indexer.indexing;

import static org.awaitility.Awaitility.await;

import static io.docstream.schemas.db.Tables.CHUNKS;
import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static io.docstream.schemas.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.Embedder;
import io.docstream.embedding.http.FakeEmbeddingService;
import io.docstream.embedding.http.HttpEmbedder;
import io.docstream.embedding.http.HttpEmbeddingProperties;
import io.docstream.embedding.onnx.OnnxEmbedder;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.lucene.LuceneSearchIndex;
import io.docstream.platform.resilience.CallPolicy;
import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.schemas.db.tables.records.DocumentsRecord;
import io.docstream.schemas.db.tables.records.IndexingStatusRecord;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.serde.DocumentCommandSerde;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production topology with real PostgreSQL, Lucene and ONNX model; wall-clock time drives flushes. */
class IndexerTopologyTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final OnnxEmbedder model = OnnxEmbedder.forModel("all-minilm-l6-v2-q");
    private static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);
    private static final PoisonPolicy POISON_POLICY = new PoisonPolicy(3, Duration.ofMillis(1));

    @TempDir
    Path temp;

    private final CountingEmbedder embedder = new CountingEmbedder(model);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SwitchableDataSource dataSource;
    private LuceneSearchIndex index;
    private TopologyTestDriver driver;
    private TestInputTopic<DocumentKey, DocumentCommand> commands;
    private TestInputTopic<byte[], byte[]> rawCommands;
    private TestOutputTopic<DocumentKey, DocumentIndexed> indexed;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        database.truncateAll();
        database.ensureTenant("acme");
        dataSource = new SwitchableDataSource(database.dataSource());
        index = new LuceneSearchIndex(temp.resolve("index"));
        startDriver(new BatchSettings(32, FLUSH_INTERVAL, 32));
    }

    @AfterEach
    void stop() {
        driver.close();
        index.close();
    }

    @Test
    void theFlushIntervalCountsFromTheBatchsFirstCommandSoLaterCommandsJoinIt() {
        Duration tenth = FLUSH_INTERVAL.dividedBy(10);
        driver.advanceWallClockTime(FLUSH_INTERVAL.minus(tenth));
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Otters", "Otters hold hands while they sleep."));
        driver.advanceWallClockTime(tenth);
        assertThat(indexed.isEmpty()).as("a command just before a fixed-rate tick still waits its interval").isTrue();

        commands.pipeInput(key("doc-2"), upsert("doc-2", 1, "Owls", "Owls turn their heads almost all the way round."));
        driver.advanceWallClockTime(FLUSH_INTERVAL.minus(tenth));

        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId)
                .containsExactlyInAnyOrder("doc-1", "doc-2");
        assertThat(embedder.calls()).isEqualTo(1);
        assertThat(embedder.documentsEmbedded()).isEqualTo(2);
    }

    @Test
    void embeddedAheadADocumentIsFlushedOnceReadyWithoutWaitingOutTheInterval() {
        driver.close();
        Duration interval = Duration.ofHours(1);
        startDriver(new BatchSettings(32, interval, 32, 32, BatchSettings.Replay.defaults()));
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Otters", "Otters hold hands while they sleep."));
        await().atMost(Duration.ofSeconds(30)).until(() -> embedder.documentsEmbedded() == 1);

        driver.advanceWallClockTime(interval.dividedBy(4));

        assertThat(indexed.readValuesToList()).as("ready a quarter of the interval in").extracting(DocumentIndexed::documentId)
                .containsExactly("doc-1");
        assertThat(embedder.documentsEmbedded()).as("the flush took the vector made ahead").isEqualTo(1);
    }

    @Test
    void whileCommandsKeepArrivingReadyDocumentsWaitForTheBatchToFill() {
        driver.close();
        Duration interval = Duration.ofHours(1);
        Duration check = interval.dividedBy(4);
        startDriver(new BatchSettings(32, interval, 32, 32, BatchSettings.Replay.defaults()));
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Otters", "Otters hold hands while they sleep."));
        await().atMost(Duration.ofSeconds(30)).until(() -> embedder.documentsEmbedded() == 1);
        driver.advanceWallClockTime(check.minusMinutes(1));
        commands.pipeInput(key("doc-2"), upsert("doc-2", 1, "Owls", "Owls turn their heads almost all the way round."));
        await().atMost(Duration.ofSeconds(30)).until(() -> embedder.documentsEmbedded() == 2);

        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(indexed.isEmpty()).as("a command arrived within the last check: no flush of what is ready").isTrue();

        driver.advanceWallClockTime(check);
        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId)
                .containsExactlyInAnyOrder("doc-1", "doc-2");
    }

    @Test
    void theModelEmbedsTheDocumentsBeyondAFullBatchWhileTheOldestBatchIsWritten() {
        driver.close();
        startDriver(new BatchSettings(2, Duration.ofHours(1), 32, 2, BatchSettings.Replay.defaults()));
        // Arrival order is the reverse of key order: a flush takes the oldest documents, not the first keys.
        List<String> ids = List.of("doc-d", "doc-c", "doc-b", "doc-a");
        for (String id : ids.subList(0, 3)) {
            commands.pipeInput(key(id), upsert(id, 1, "Herons " + id, "Herons stand still in the water near " + id + "."));
        }
        assertThat(indexed.isEmpty()).as("a batch and up to two more documents wait").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> embedder.documentsEmbedded() == 3);

        commands.pipeInput(key("doc-a"), upsert("doc-a", 1, "Herons doc-a", "Herons stand still in the water near doc-a."));

        assertThat(indexed.readValuesToList()).as("the oldest batch").extracting(DocumentIndexed::documentId)
                .containsExactly("doc-d", "doc-c");
        flush(Duration.ofHours(1));
        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId)
                .containsExactlyInAnyOrder("doc-b", "doc-a");
        assertThat(embedder.documentsEmbedded()).as("every text embedded once, ahead of its flush").isEqualTo(4);
        assertThat(keywordHits("herons")).hasSize(4);
    }

    @Test
    void outOfOrderVersionsEndAtTheNewest() {
        commands.pipeInput(key("doc-1"), upsert("doc-1", 3, "Zebras", "Zebras roam the savanna in herds."));
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Yaks", "Yaks graze on the high plateau."));
        flush();
        commands.pipeInput(key("doc-1"), upsert("doc-1", 2, "Llamas", "Llamas carry loads in the mountains."));
        flush();

        assertThat(keywordHits("zebras")).extracting(DocumentHit::documentId, DocumentHit::version)
                .containsOnly(tuple("doc-1", 3L));
        assertThat(keywordHits("yaks")).isEmpty();
        assertThat(keywordHits("llamas")).isEmpty();
        DocumentsRecord row = document("doc-1");
        assertThat(row.getVersion()).isEqualTo(3);
        assertThat(row.getTitle()).isEqualTo("Zebras");
        IndexingStatusRecord status = status("doc-1");
        assertThat(status.getIndexedVersion()).isEqualTo(3);
        assertThat(status.getState()).isEqualTo("indexed");
        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::version).containsExactly(3L);
    }

    @Test
    void countsStaleDropsByTenant() {
        commands.pipeInput(key("doc-1"), upsert("doc-1", 5, "Current", "The current text."));
        flush();
        commands.pipeInput(key("doc-1"), upsert("doc-1", 4, "Old", "An old text."));
        commands.pipeInput(key("doc-1"), upsert("doc-1", 2, "Older", "An older text."));
        flush();

        assertThat(meters.get("docstream.indexer.stale.dropped").tag("tenant", "acme").counter().count())
                .isEqualTo(2.0);
        assertThat(document("doc-1").getVersion()).isEqualTo(5);
    }

    @Test
    void deleteRemovesTheDocumentAndAnOlderUpsertDoesNotResurrectIt() {
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Otters", "Otters float on their backs."));
        flush();
        commands.pipeInput(key("doc-1"), new DeleteDocument("acme", "doc-1", 2, Instant.now()));
        flush();
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Otters", "Otters float on their backs."));
        flush();

        assertThat(keywordHits("otters")).isEmpty();
        assertThat(index.countDocuments("acme")).isZero();
        DocumentsRecord row = document("doc-1");
        assertThat(row.getDeleted()).isTrue();
        assertThat(row.getVersion()).isEqualTo(2);
        assertThat(database.dsl().fetchCount(CHUNKS)).isZero();
        IndexingStatusRecord status = status("doc-1");
        assertThat(status.getState()).isEqualTo("deleted");
        assertThat(status.getIndexedVersion()).isEqualTo(2);
        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::version, DocumentIndexed::deleted)
                .containsExactly(tuple(1L, false),
                        tuple(2L, true));
    }

    @Test
    void updatingOneParagraphReEmbedsOnlyItsChunk() {
        // Each paragraph is over half the 64-token budget, so no two share a chunk.
        List<String> paragraphs = new ArrayList<>(List.of(
                "Glaciers carve valleys over thousands of years, grinding rock into fine flour that rivers later "
                        + "carry away; the valleys they leave behind are wide, deep and shaped like the letter U.",
                "Rivers carry sediment from the mountains to the sea, dropping the heaviest stones first and the "
                        + "finest silt last, which builds deltas, sandbars and wide fertile plains along the way.",
                "Volcanoes build islands from molten rock that cools into black basalt; over millions of years the "
                        + "islands drift away from the hot spot and slowly sink back beneath the waves again.",
                "Deserts form where rain rarely falls, often in the shadow of mountain ranges that wring the moisture "
                        + "out of passing clouds, leaving dunes, salt flats and bare rock under an open sky.",
                "Coral reefs grow in warm and shallow water, where tiny animals build limestone skeletons that pile "
                        + "up over centuries into structures large enough to be seen from orbit.",
                "Tundra soil stays frozen for most of the year, so roots stay shallow, trees cannot grow, and the "
                        + "short summer turns the surface into bogs full of mosses, sedges and insects."));
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Landscapes", String.join("\n\n", paragraphs)));
        flush();
        DocumentIndexed first = indexed.readValue();
        embedder.reset();

        paragraphs.set(2, "Volcanoes erupt ash that darkens the sky for weeks, cools the climate for a season, and "
                + "settles as a grey layer that geologists later use to date the rocks above and below it.");
        commands.pipeInput(key("doc-1"), upsert("doc-1", 2, "Landscapes", String.join("\n\n", paragraphs)));
        flush();

        DocumentIndexed second = indexed.readValue();
        assertThat(first.chunkHashes()).as("one chunk per long paragraph, the title opening the first").hasSize(paragraphs.size());
        assertThat(embedder.documentsEmbedded()).isEqualTo(1);
        assertThat(second.changedChunkCount()).isEqualTo(1);
        assertThat(second.chunkHashes()).hasSameSizeAs(first.chunkHashes());
        assertThat(database.dsl().select(CHUNKS.VERSION).from(CHUNKS).fetch(CHUNKS.VERSION))
                .hasSize(second.chunkHashes().size())
                .containsOnly(2L);
        assertThat(keywordHits("ash")).extracting(DocumentHit::version).containsOnly(2L);
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndTheNextRecordIsIndexed() {
        byte[] badValue = "{\"type\":\"upsert\",\"tenant\":".getBytes(StandardCharsets.UTF_8);
        byte[] badKey = "no-slash-here".getBytes(StandardCharsets.UTF_8);
        byte[] goodValue = new DocumentCommandSerde().toBytes(upsert("doc-3", 1, "Owls", "Owls hunt at night."));
        rawCommands.pipeInput(utf8("acme/doc-1"), badValue);
        rawCommands.pipeInput(badKey, goodValue);
        commands.pipeInput(key("doc-2"), upsert("doc-2", 1, "Bats", "Bats sleep upside down."));
        flush();

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).key()).isEqualTo(utf8("acme/doc-1"));
        assertThat(dead.get(0).value()).isEqualTo(badValue);
        assertThat(header(dead.get(0).headers(), Topics.DLQ_REASON_HEADER)).isEqualTo("malformed value");
        assertThat(header(dead.get(0).headers(), Topics.DLQ_EXCEPTION_HEADER)).contains("SerializationException");
        assertThat(header(dead.get(0).headers(), Topics.DLQ_SOURCE_HEADER)).isEqualTo(Topics.DOCUMENTS.name() + "/0/0");
        assertThat(dead.get(1).key()).isEqualTo(badKey);
        assertThat(dead.get(1).value()).isEqualTo(goodValue);
        assertThat(header(dead.get(1).headers(), Topics.DLQ_REASON_HEADER)).isEqualTo("malformed key");
        assertThat(header(dead.get(1).headers(), Topics.DLQ_SOURCE_HEADER)).isEqualTo(Topics.DOCUMENTS.name() + "/0/1");

        IndexingStatusRecord failed = status("doc-1");
        assertThat(failed.getState()).isEqualTo("failed");
        assertThat(failed.getError()).startsWith("malformed value");
        assertThat(keywordHits("bats")).extracting(DocumentHit::documentId).containsOnly("doc-2");
        assertThat(status("doc-2").getState()).isEqualTo("indexed");
        assertThat(meters.get("docstream.indexer.dlq.records").counter().count()).isEqualTo(2.0);
    }

    @Test
    void replayingTheSameVersionEmbedsNothingAndChangesNothing() {
        UpsertDocument command = upsert("doc-1", 4, "Whales", "Whales sing songs that travel for miles.");
        commands.pipeInput(key("doc-1"), command);
        flush();
        Snapshot before = snapshot("doc-1", "whales");
        embedder.reset();

        commands.pipeInput(key("doc-1"), command);
        flush();

        assertThat(embedder.documentsEmbedded()).isZero();
        assertThat(snapshot("doc-1", "whales")).isEqualTo(before);
        List<DocumentIndexed> events = indexed.readValuesToList();
        assertThat(events).extracting(DocumentIndexed::version).containsExactly(4L, 4L);
        assertThat(events.get(0).changedChunkCount()).isEqualTo(events.get(0).chunkHashes().size());
        assertThat(events.get(1).changedChunkCount()).isZero();
        assertThat(events.get(1).chunkHashes()).isEqualTo(events.get(0).chunkHashes());
    }

    @Test
    void flushesAsSoonAsTheBatchIsFull() {
        driver.close();
        startDriver(new BatchSettings(3, Duration.ofHours(1), 32));

        IntStream.rangeClosed(1, 3).forEach(i -> commands.pipeInput(key("doc-" + i),
                upsert("doc-" + i, 1, "Note " + i, "Short note number " + i + ".")));

        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId)
                .containsExactlyInAnyOrder("doc-1", "doc-2", "doc-3");
        assertThat(index.countDocuments("acme")).isEqualTo(3);
    }

    @Test
    void collapsesTwoVersionsOfOneDocumentInABatchToTheNewest() {
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Draft", "First draft about penguins."));
        commands.pipeInput(key("doc-1"), upsert("doc-1", 2, "Final", "Final text about puffins."));
        flush();

        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::version).containsExactly(2L);
        assertThat(keywordHits("penguins")).isEmpty();
        assertThat(keywordHits("puffins")).extracting(DocumentHit::version).containsOnly(2L);
    }

    @Test
    void aCommandForAnUnknownTenantGoesToTheDeadLetterTopicAfterMaxAttemptsAndTheRestOfItsBatchIsIndexed() {
        UpsertDocument ghost = new UpsertDocument("ghost", "doc-x", 7, "Phantoms", "Phantoms haunt old castles.",
                Map.of(), Instant.now());
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Otters", "Otters hold hands while they sleep."));
        commands.pipeInput(ghost.key(), ghost);
        commands.pipeInput(key("doc-2"), upsert("doc-2", 1, "Owls", "Owls hunt at night."));
        flush();

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo(utf8("ghost/doc-x"));
        assertThat(new DocumentCommandSerde().fromBytes(dead.get(0).value())).isEqualTo(ghost);
        assertThat(header(dead.get(0).headers(), Topics.DLQ_REASON_HEADER)).isEqualTo("foreign key violation");
        assertThat(header(dead.get(0).headers(), Topics.DLQ_EXCEPTION_HEADER))
                .startsWith("org.postgresql.util.PSQLException").contains("tenants");
        assertThat(header(dead.get(0).headers(), Topics.DLQ_SOURCE_HEADER)).isEqualTo(Topics.DOCUMENTS.name() + "/0/1");
        assertThat(meters.get("docstream.indexer.poison.retries").counter().count())
                .as("attempts after the first, alone").isEqualTo(POISON_POLICY.maxAttempts() - 1.0);

        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId)
                .containsExactlyInAnyOrder("doc-1", "doc-2");
        assertThat(keywordHits("owls")).extracting(DocumentHit::documentId).containsOnly("doc-2");
        assertThat(index.countDocuments("ghost")).as("poison never reaches the search index").isZero();
        assertThat(database.dsl().fetchCount(TENANTS, TENANTS.TENANT_ID.eq("ghost"))).isZero();
        assertThat(database.dsl().fetchCount(INDEXING_STATUS, INDEXING_STATUS.TENANT_ID.eq("ghost"))).isZero();

        commands.pipeInput(key("doc-3"), upsert("doc-3", 1, "Bats", "Bats sleep upside down."));
        flush();
        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId).containsExactly("doc-3");
    }

    @Test
    void textPostgresqlCannotStoreIsDeadLetteredAndTheStatusSaysFailed() {
        commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Nul", "A body with a \u0000 character."));
        flush();

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), Topics.DLQ_REASON_HEADER)).isEqualTo("invalid data");
        IndexingStatusRecord status = status("doc-1");
        assertThat(status.getState()).isEqualTo("failed");
        assertThat(status.getError()).startsWith("invalid data");
        assertThat(indexed.isEmpty()).isTrue();
    }

    @Test
    void aDatabaseOutageFailsTheStreamThreadAndNeverDeadLetters() {
        driver.close();
        startDriver(new BatchSettings(1, Duration.ofHours(1), 32));
        UpsertDocument command = upsert("doc-1", 1, "Otters", "Otters hold hands while they sleep.");
        dataSource.down();

        assertThatThrownBy(() -> commands.pipeInput(key("doc-1"), command))
                .as("the stream thread fails, to be replaced and retry from the last commit")
                .isInstanceOf(StreamsException.class);
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(meters.get("docstream.indexer.poison.retries").counter().count()).isZero();

        dataSource.up();
        commands.pipeInput(key("doc-1"), command);
        assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId).containsExactly("doc-1");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(status("doc-1").getState()).isEqualTo("indexed");
    }

    @Test
    void anEmbeddingServiceOutageFailsTheStreamThreadAndNeverDeadLetters() throws Exception {
        try (FakeEmbeddingService service = new FakeEmbeddingService()) {
            driver.close();
            startDriver(new BatchSettings(1, Duration.ofHours(1), 32), httpEmbedder(service));
            UpsertDocument command = upsert("doc-1", 1, "Otters", "Otters hold hands while they sleep.");
            service.fail(1_000, 503);

            assertThatThrownBy(() -> commands.pipeInput(key("doc-1"), command))
                    .as("the stream thread fails, to be replaced and retry from the last commit")
                    .isInstanceOf(StreamsException.class);
            assertThat(service.requests()).as("the embedder tried twice, as its policy says").hasSize(2);
            assertThat(deadLetters.isEmpty()).isTrue();
            assertThat(meters.get("docstream.indexer.poison.retries").counter().count()).isZero();

            service.fail(0, 503);
            commands.pipeInput(key("doc-1"), command);
            assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId).containsExactly("doc-1");
            assertThat(deadLetters.isEmpty()).isTrue();
            assertThat(status("doc-1").getState()).isEqualTo("indexed");
        }
    }

    @Test
    void aTextTheEmbeddingServiceRejectsIsDeadLetteredAndTheRestOfTheBatchIsIndexed() throws Exception {
        try (FakeEmbeddingService service = new FakeEmbeddingService()) {
            driver.close();
            startDriver(new BatchSettings(32, FLUSH_INTERVAL, 32), httpEmbedder(service));
            commands.pipeInput(key("doc-1"), upsert("doc-1", 1, "Odd", "A text the embedding service refuses."));
            service.fail(POISON_POLICY.maxAttempts(), 400);
            flush();
            commands.pipeInput(key("doc-2"), upsert("doc-2", 1, "Fine", "Herons stand still in shallow water."));
            flush();

            List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0).headers(), Topics.DLQ_REASON_HEADER)).isEqualTo("invalid command");
            assertThat(status("doc-1").getState()).isEqualTo("failed");
            assertThat(indexed.readValuesToList()).extracting(DocumentIndexed::documentId).containsExactly("doc-2");
        }
    }

    @Test
    void namesEveryNodeAndStore() {
        String description = new IndexerTopology(new Chunker(64, 0, embedder.tokenCounter()), embedder, index,
                database.dsl(), BatchSettings.defaults(), PoisonPolicy.defaults(), meters).topology().describe()
                .toString();

        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-")
                .contains(IndexerTopology.DOCUMENT_STATE_STORE, IndexerTopology.PENDING_STORE,
                        IndexerTopology.PENDING_SOURCE_STORE);
    }

    private void startDriver(BatchSettings settings) {
        startDriver(settings, embedder);
    }

    private void startDriver(BatchSettings settings, Embedder embedder) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "indexer-tests");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
        Chunker chunker = new Chunker(64, 0, embedder.tokenCounter());
        IndexerTopology topology = new IndexerTopology(chunker, embedder, index,
                DSL.using(dataSource, SQLDialect.POSTGRES), settings, POISON_POLICY, meters);
        driver = new TopologyTestDriver(topology.topology(), config);
        commands = driver.createInputTopic(Topics.DOCUMENTS.name(), Topics.DOCUMENTS.keySerde().serializer(),
                Topics.DOCUMENTS.valueSerde().serializer());
        rawCommands = driver.createInputTopic(Topics.DOCUMENTS.name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        indexed = driver.createOutputTopic(Topics.INDEXED.name(), Topics.INDEXED.keySerde().deserializer(),
                Topics.INDEXED.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DOCUMENTS_DLQ.name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    /** The remote embedder against {@code service}: two tries per call, no pause worth waiting for. */
    private static HttpEmbedder httpEmbedder(FakeEmbeddingService service) {
        CallPolicy policy = RemoteCalls.defaults(RemoteCalls.EMBEDDER);
        policy.setMaxAttempts(2);
        policy.setBackoff(Duration.ofMillis(5));
        policy.setMinimumCalls(100);
        return new HttpEmbedder("http:fake", new HttpEmbeddingProperties(service.url(), null,
                FakeEmbeddingService.DIMENSIONS, 128, 32, "", ""),
                new RemoteCalls(name -> policy, null).call(RemoteCalls.EMBEDDER, HttpEmbedder::transientFailure),
                HttpClient.newHttpClient());
    }

    private void flush() {
        driver.advanceWallClockTime(FLUSH_INTERVAL);
    }

    private void flush(Duration interval) {
        driver.advanceWallClockTime(interval);
    }

    private List<DocumentHit> keywordHits(String text) {
        return index.searchKeyword(new IndexQuery("acme", 10, Map.of()), text);
    }

    private static DocumentsRecord document(String id) {
        return database.dsl().selectFrom(DOCUMENTS)
                .where(DOCUMENTS.TENANT_ID.eq("acme").and(DOCUMENTS.DOCUMENT_ID.eq(id)))
                .fetchSingle();
    }

    private static IndexingStatusRecord status(String id) {
        return database.dsl().selectFrom(INDEXING_STATUS)
                .where(INDEXING_STATUS.TENANT_ID.eq("acme").and(INDEXING_STATUS.DOCUMENT_ID.eq(id)))
                .fetchSingle();
    }

    /** What a reader can observe of one document, without the write timestamps. */
    private Snapshot snapshot(String id, String word) {
        DocumentsRecord row = document(id);
        List<List<Object>> chunks = database.dsl().select(CHUNKS.CHUNK_INDEX, CHUNKS.VERSION, CHUNKS.CHUNK_HASH,
                        CHUNKS.TEXT)
                .from(CHUNKS)
                .where(CHUNKS.TENANT_ID.eq("acme").and(CHUNKS.DOCUMENT_ID.eq(id)))
                .orderBy(CHUNKS.CHUNK_INDEX)
                .fetch()
                .map(Record::intoList);
        IndexingStatusRecord status = status(id);
        List<List<Object>> hits = keywordHits(word).stream()
                .map(hit -> List.<Object>of(hit.documentId(), hit.version(), hit.title()))
                .toList();
        return new Snapshot(List.of(row.getVersion(), row.getTitle(), row.getBody(), row.getDeleted(),
                row.getUpdatedAt()), chunks, List.of(status.getIndexedVersion(), status.getState()), hits);
    }

    private record Snapshot(List<Object> document, List<List<Object>> chunks, List<Object> status,
            List<List<Object>> hits) {
    }

    private static DocumentKey key(String id) {
        return new DocumentKey("acme", id);
    }

    private static UpsertDocument upsert(String id, long version, String title, String body) {
        return new UpsertDocument("acme", id, version, title, body, Map.of("lang", "en"), Instant.now());
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
