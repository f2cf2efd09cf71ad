package io.docstream.indexer.indexing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.onnx.OnnxEmbedder;
import io.docstream.search.lucene.LuceneSearchIndex;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.tracing.KafkaTraceHeaders;
import io.docstream.platform.tracing.RecordedSpans;
import io.docstream.platform.tracing.TraceContext;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document's trace goes on through the batch: the production topology, a real tracer SDK in place of the
 * agent, commands arriving with the {@code traceparent} their producer wrote, flushed by a punctuator.
 */
class IndexerTracingTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final OnnxEmbedder model = OnnxEmbedder.forModel("all-minilm-l6-v2-q");
    private static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);
    private static final String OTTERS_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String OWLS_TRACE = "0af7651916cd43dd8448eb211c80319c";

    @TempDir
    Path temp;

    private RecordedSpans spans;
    private LuceneSearchIndex index;
    private TopologyTestDriver driver;
    private TestInputTopic<DocumentKey, DocumentCommand> commands;
    private TestOutputTopic<DocumentKey, DocumentIndexed> indexed;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        spans = RecordedSpans.install();
        database.truncateAll();
        database.ensureTenant("acme");
        index = new LuceneSearchIndex(temp.resolve("index"));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "indexer-tracing-tests");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
        CountingEmbedder embedder = new CountingEmbedder(model);
        IndexerTopology topology = new IndexerTopology(new Chunker(64, 0, embedder.tokenCounter()), embedder, index,
                DSL.using(database.dataSource(), SQLDialect.POSTGRES), new BatchSettings(32, FLUSH_INTERVAL, 32),
                new PoisonPolicy(2, Duration.ofMillis(1)), new SimpleMeterRegistry());
        driver = new TopologyTestDriver(topology.topology(), config);
        commands = driver.createInputTopic(Topics.DOCUMENTS.name(), Topics.DOCUMENTS.keySerde().serializer(),
                Topics.DOCUMENTS.valueSerde().serializer());
        indexed = driver.createOutputTopic(Topics.INDEXED.name(), Topics.INDEXED.keySerde().deserializer(),
                Topics.INDEXED.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DOCUMENTS_DLQ.name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        index.close();
        spans.close();
    }

    @Test
    void theDocumentIndexedEventOfEachDocumentContinuesTheTraceItsCommandArrivedIn() {
        send(upsert("doc-1", "Otters", "Otters hold hands while they sleep."), traceparent(OTTERS_TRACE, "1111111111111111"));
        send(upsert("doc-2", "Owls", "Owls turn their heads almost all the way round."),
                traceparent(OWLS_TRACE, "2222222222222222"));
        driver.advanceWallClockTime(FLUSH_INTERVAL);

        Map<String, String> traceByDocument = indexed.readRecordsToList().stream().collect(
                Collectors.toMap(record -> record.value().documentId(),
                        record -> KafkaTraceHeaders.read(record.headers()).traceId()));
        assertThat(traceByDocument).containsExactlyInAnyOrderEntriesOf(Map.of("doc-1", OTTERS_TRACE, "doc-2", OWLS_TRACE));
    }

    @Test
    void eachDocumentGetsAnIndexDocumentSpanUnderItsCommandsContextAndTheBatchSpansLinkToAll() {
        send(upsert("doc-1", "Otters", "Otters hold hands while they sleep."), traceparent(OTTERS_TRACE, "1111111111111111"));
        send(upsert("doc-2", "Owls", "Owls turn their heads almost all the way round."),
                traceparent(OWLS_TRACE, "2222222222222222"));
        driver.advanceWallClockTime(FLUSH_INTERVAL);
        List<TestRecord<DocumentKey, DocumentIndexed>> events = indexed.readRecordsToList();

        List<SpanData> documents = spans.named("index document");
        assertThat(documents).extracting(span -> span.getTraceId(), span -> span.getParentSpanId())
                .containsExactlyInAnyOrder(tuple(OTTERS_TRACE, "1111111111111111"),
                        tuple(OWLS_TRACE, "2222222222222222"));
        SpanData otters = documents.stream().filter(span -> span.getTraceId().equals(OTTERS_TRACE)).findFirst().orElseThrow();
        assertThat(otters.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("docstream.tenant"), "acme")
                .containsEntry(AttributeKey.stringKey("docstream.document_id"), "doc-1")
                .containsEntry(AttributeKey.longKey("docstream.version"), 1L)
                .containsEntry(AttributeKey.longKey("docstream.chunk_count"), 1L)
                .containsEntry(AttributeKey.stringKey("docstream.model"), model.modelId());
        TestRecord<DocumentKey, DocumentIndexed> ottersEvent = events.stream()
                .filter(event -> event.value().documentId().equals("doc-1")).findFirst().orElseThrow();
        assertThat(KafkaTraceHeaders.read(ottersEvent.headers()).restore().getSpanId())
                .as("the event is written in the document's span").isEqualTo(otters.getSpanId());

        SpanData embed = spans.only("embed batch");
        assertThat(embed.getLinks()).extracting(LinkData::getSpanContext).extracting(SpanContext::getSpanId)
                .containsExactlyInAnyOrderElementsOf(documents.stream().map(SpanData::getSpanId).toList());
        assertThat(documents).extracting(SpanData::getSpanId).contains(embed.getParentSpanId());
        assertThat(embed.getAttributes().asMap())
                .containsEntry(AttributeKey.longKey("docstream.batch_size"), 2L)
                .containsEntry(AttributeKey.longKey("docstream.embedded"), 2L)
                .containsEntry(AttributeKey.longKey("docstream.cache_hits"), 0L)
                .containsEntry(AttributeKey.stringKey("docstream.model"), model.modelId());
        SpanData write = spans.only("index write");
        assertThat(write.getLinks()).hasSize(2);
        assertThat(write.getAttributes().asMap())
                .containsEntry(AttributeKey.stringKey("docstream.index"), index.name())
                .containsEntry(AttributeKey.longKey("docstream.writes"), 2L);
    }

    @Test
    void aCommandGivenUpOnGoesToTheDeadLetterTopicInItsOwnTrace() {
        UpsertDocument ghost = new UpsertDocument("ghost", "doc-x", 7, "Phantoms", "Phantoms haunt old castles.",
                Map.of(), Instant.now());
        send(ghost, traceparent(OWLS_TRACE, "2222222222222222"));
        driver.advanceWallClockTime(FLUSH_INTERVAL);

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(KafkaTraceHeaders.read(dead.getFirst().headers()).traceId()).isEqualTo(OWLS_TRACE);
    }

    @Test
    void aCommandThatArrivedWithoutATraceIsStillIndexed() {
        commands.pipeInput(new TestRecord<>(new DocumentKey("acme", "doc-1"),
                upsert("doc-1", "Otters", "Otters hold hands while they sleep.")));
        driver.advanceWallClockTime(FLUSH_INTERVAL);

        TestRecord<DocumentKey, DocumentIndexed> event = indexed.readRecord();
        assertThat(event.value().documentId()).isEqualTo("doc-1");
        SpanData document = spans.only("index document");
        assertThat(document.getParentSpanContext().isValid()).as("a new trace starts at the flush").isFalse();
        assertThat(KafkaTraceHeaders.read(event.headers()).traceId()).isEqualTo(document.getTraceId());
    }

    private void send(UpsertDocument command, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceContext.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        commands.pipeInput(new TestRecord<>(command.key(), command, headers));
    }

    private static String traceparent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static UpsertDocument upsert(String id, String title, String body) {
        return new UpsertDocument("acme", id, 1, title, body, Map.of("lang", "en"), Instant.now());
    }
}
