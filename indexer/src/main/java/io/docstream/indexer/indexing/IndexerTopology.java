package io.docstream.indexer.indexing;

import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.Embedder;
import io.docstream.search.SearchIndex;
import io.docstream.indexer.embedding.CachedEmbedder;
import io.docstream.indexer.storage.DocumentStore;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.serde.DocumentKeySerde;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.docstream.platform.kafka.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.jooq.DSLContext;

/**
 * documents topic → parse (poison to the DLQ) → version guard → batch → chunk, embed, store and
 * index → indexed topic; a command that keeps failing on its own data joins the poison in the DLQ. Knows nothing of Spring; node and store names are stable because the
 * store changelogs and any future repartition topics are named after them.
 */
public final class IndexerTopology {

    public static final String DOCUMENT_STATE_STORE = "indexer-document-state";
    public static final String PENDING_STORE = "indexer-pending";
    /** Where each pending command was read (topic/partition/offset), for the DLQ headers if it is given up. */
    public static final String PENDING_SOURCE_STORE = "indexer-pending-source";

    private final BatchIndexer batchIndexer;
    private final SearchIndex searchIndex;
    private final DocumentStore documents;
    private final BatchSettings settings;
    private final PoisonPolicy poisonPolicy;
    private final MeterRegistry meters;

    public IndexerTopology(Chunker chunker, Embedder embedder, SearchIndex searchIndex, DSLContext dsl,
            BatchSettings settings, PoisonPolicy poisonPolicy, MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.poisonPolicy = Objects.requireNonNull(poisonPolicy, "poisonPolicy");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.documents = new DocumentStore(dsl);
        this.searchIndex = Objects.requireNonNull(searchIndex, "searchIndex");
        this.batchIndexer = new BatchIndexer(chunker,
                new CachedEmbedder(embedder, dsl, settings.embedBatchSize(), meters), searchIndex, documents,
                Clock.systemUTC(), settings.replay().commitInterval(), meters);
    }

    /** Adds the indexer's stores and nodes to {@code builder}. */
    public void build(StreamsBuilder builder) {
        addStores(builder);
        Map<String, KStream<byte[], ParsedRecord>> parsed = parseCommands(readCommands(builder))
                .split(Named.as("route-"))
                .branch((key, record) -> record instanceof ParsedRecord.Poison, Branched.as("poison"))
                .defaultBranch(Branched.as("commands"));
        Map<String, KStream<DocumentKey, BatchOutcome>> flushed = indexBatches(dropStale(parsed.get("route-commands")))
                .split(Named.as("flushed-"))
                .branch((key, outcome) -> outcome instanceof BatchOutcome.Indexed, Branched.as("indexed"))
                .defaultBranch(Branched.as("dead-lettered"));
        publishIndexed(flushed.get("flushed-indexed"));
        sendToDeadLetterTopic(parsed.get("route-poison")
                .merge(gaveUp(flushed.get("flushed-dead-lettered")), Named.as("merge-failures")));
    }

    /**
     * The recovery to run before this topology's Streams app starts, reading the documents topic with
     * {@code kafka} and the committed offsets of {@code groupId} (the app's consumer group).
     */
    public IndexRecovery recovery(KafkaClients kafka, String groupId, Duration timeout) {
        return new IndexRecovery(batchIndexer, searchIndex, documents, kafka, groupId, timeout);
    }

    /** The indexer's whole topology, for {@code TopologyTestDriver} and for describing it. */
    public Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder);
        return builder.build();
    }

    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DOCUMENT_STATE_STORE),
                new DocumentKeySerde(), new DocumentStateSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                new DocumentKeySerde(), new PendingCommandSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_SOURCE_STORE),
                new DocumentKeySerde(), Serdes.String()));
    }

    /** Raw bytes, so that a bad key or value reaches the parse step instead of failing the consumer. */
    private static KStream<byte[], byte[]> readCommands(StreamsBuilder builder) {
        return builder.stream(Topics.DOCUMENTS.name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-commands"));
    }

    private static KStream<byte[], ParsedRecord> parseCommands(KStream<byte[], byte[]> records) {
        return records.process(ParseCommandProcessor::new, Named.as("parse-commands"));
    }

    private void sendToDeadLetterTopic(KStream<byte[], ParsedRecord> poison) {
        poison.process(() -> new SendToDeadLetterProcessor(documents, meters), Named.as("record-failures"))
                .to(Topics.DOCUMENTS_DLQ.name(),
                        Produced.with(Topics.DOCUMENTS_DLQ.keySerde(), Topics.DOCUMENTS_DLQ.valueSerde())
                                .withName("write-dead-letters"));
    }

    private KStream<DocumentKey, DocumentCommand> dropStale(KStream<byte[], ParsedRecord> commands) {
        return commands.process(() -> new DropStaleCommandsProcessor(meters), Named.as("drop-stale-commands"),
                DOCUMENT_STATE_STORE, PENDING_STORE);
    }

    private KStream<DocumentKey, BatchOutcome> indexBatches(KStream<DocumentKey, DocumentCommand> commands) {
        return commands.process(() -> new IndexBatchProcessor(batchIndexer, settings, poisonPolicy, meters),
                Named.as("index-batches"), DOCUMENT_STATE_STORE, PENDING_STORE, PENDING_SOURCE_STORE);
    }

    /** Commands given up after the poison policy's attempts, back in the shape of the parse step's poison. */
    private static KStream<byte[], ParsedRecord> gaveUp(KStream<DocumentKey, BatchOutcome> deadLettered) {
        return deadLettered.map((key, outcome) -> {
            ParsedRecord.Poison poison = ((BatchOutcome.DeadLettered) outcome).poison();
            return KeyValue.pair(poison.rawKey(), (ParsedRecord) poison);
        }, Named.as("unwrap-dead-letters"));
    }

    private static void publishIndexed(KStream<DocumentKey, BatchOutcome> indexed) {
        indexed.mapValues(outcome -> ((BatchOutcome.Indexed) outcome).event(), Named.as("unwrap-indexed"))
                .to(Topics.INDEXED.name(),
                        Produced.with(Topics.INDEXED.keySerde(), Topics.INDEXED.valueSerde()).withName("write-indexed"));
    }
}
