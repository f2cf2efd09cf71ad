package io.docstream.indexer.indexing;

import io.docstream.core.chunking.Chunker;
import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.SearchIndex;
import io.docstream.indexer.embedding.CachedEmbedder;
import io.docstream.indexer.storage.DocumentStore;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.serde.DocumentKeySerde;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
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
 * documents topic → parse (poison to the DLQ) → version guard → batch → chunk, embed, index and
 * store → indexed topic. Knows nothing of Spring; node and store names are stable because the
 * store changelogs and any future repartition topics are named after them.
 */
public final class IndexerTopology {

    public static final String DOCUMENT_STATE_STORE = "indexer-document-state";
    public static final String PENDING_STORE = "indexer-pending";

    private final BatchIndexer batchIndexer;
    private final DocumentStore documents;
    private final BatchSettings settings;
    private final MeterRegistry meters;

    public IndexerTopology(Chunker chunker, Embedder embedder, SearchIndex searchIndex, DSLContext dsl,
            BatchSettings settings, MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.documents = new DocumentStore(dsl);
        this.batchIndexer = new BatchIndexer(chunker,
                new CachedEmbedder(embedder, dsl, settings.embedBatchSize(), meters), searchIndex, documents,
                Clock.systemUTC(), meters);
    }

    /** Adds the indexer's stores and nodes to {@code builder}. */
    public void build(StreamsBuilder builder) {
        addStores(builder);
        KStream<byte[], ParsedRecord> parsed = parseCommands(readCommands(builder));
        parsed.split(Named.as("route-"))
                .branch((key, record) -> record instanceof ParsedRecord.Poison,
                        Branched.withConsumer(this::sendToDeadLetterTopic, "poison"))
                .defaultBranch(Branched.withConsumer(commands -> publishIndexed(indexBatches(dropStale(commands))),
                        "commands"));
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
                new DocumentKeySerde(), Topics.DOCUMENTS.valueSerde()));
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

    private KStream<DocumentKey, DocumentIndexed> indexBatches(
            KStream<DocumentKey, DocumentCommand> commands) {
        return commands.process(() -> new IndexBatchProcessor(batchIndexer, settings), Named.as("index-batches"),
                DOCUMENT_STATE_STORE, PENDING_STORE);
    }

    private static void publishIndexed(KStream<DocumentKey, DocumentIndexed> indexed) {
        indexed.to(Topics.INDEXED.name(),
                Produced.with(Topics.INDEXED.keySerde(), Topics.INDEXED.valueSerde()).withName("write-indexed"));
    }
}
