package io.docstream.indexer.indexing;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.serde.DocumentKeySerde;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The version guard with a replay scope from the Streams configuration, as the indexer app wires it. */
class ReplayScopeTests {

    private final ReplayScope scope = new ReplayScope();
    private TopologyTestDriver driver;
    private TestInputTopic<DocumentKey, DocumentCommand> commands;
    private TestOutputTopic<DocumentKey, DocumentCommand> passed;
    private KeyValueStore<DocumentKey, DocumentState> applied;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(IndexerTopology.DOCUMENT_STATE_STORE), new DocumentKeySerde(),
                new DocumentStateSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IndexerTopology.PENDING_STORE),
                new DocumentKeySerde(), new PendingCommandSerde()));
        builder.stream(Topics.DOCUMENTS.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(ParseCommandProcessor::new)
                .process(() -> new DropStaleCommandsProcessor(new SimpleMeterRegistry()),
                        IndexerTopology.DOCUMENT_STATE_STORE, IndexerTopology.PENDING_STORE)
                .to("passed", Produced.with(Topics.DOCUMENTS.keySerde(), Topics.DOCUMENTS.valueSerde()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-scope-tests");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(ReplayScope.CONFIG, scope);
        driver = new TopologyTestDriver(builder.build(), config);
        commands = driver.createInputTopic(Topics.DOCUMENTS.name(), Topics.DOCUMENTS.keySerde().serializer(),
                Topics.DOCUMENTS.valueSerde().serializer());
        passed = driver.createOutputTopic("passed", Topics.DOCUMENTS.keySerde().deserializer(),
                Topics.DOCUMENTS.valueSerde().deserializer());
        applied = driver.getKeyValueStore(IndexerTopology.DOCUMENT_STATE_STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void outsideAReplayEveryReapplicationPassesUncounted() {
        apply("acme", "doc-1", 3);
        apply("other", "doc-1", 3);

        send("acme", "doc-1", 3);
        send("other", "doc-1", 3);

        assertThat(passed.readValuesToList()).extracting(DocumentCommand::tenant).containsExactly("acme", "other");
        assertThat(scope.reapplied()).isZero();
        assertThat(scope.skipped()).isZero();
    }

    @Test
    void aReplayScopedToOneTenantSkipsOtherTenantsReapplicationsButNeverTheirNewVersions() {
        apply("acme", "doc-1", 3);
        apply("other", "doc-1", 3);
        apply("other", "doc-2", 5);
        scope.begin("acme");

        send("acme", "doc-1", 3);
        send("other", "doc-1", 3);
        send("other", "doc-2", 6);
        send("other", "doc-3", 1);

        assertThat(passed.readValuesToList()).extracting(DocumentCommand::tenant, DocumentCommand::documentId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acme", "doc-1"),
                        org.assertj.core.groups.Tuple.tuple("other", "doc-2"),
                        org.assertj.core.groups.Tuple.tuple("other", "doc-3"));
        assertThat(scope.reapplied()).isEqualTo(1);
        assertThat(scope.skipped()).isEqualTo(1);

        scope.end();
        send("other", "doc-1", 3);
        assertThat(passed.readValuesToList()).hasSize(1);
    }

    @Test
    void aReplayOfEveryTenantCountsEachReapplication() {
        apply("acme", "doc-1", 3);
        apply("other", "doc-1", 3);
        scope.begin(null);

        send("acme", "doc-1", 3);
        send("other", "doc-1", 3);
        send("other", "doc-1", 2);

        assertThat(passed.readValuesToList()).hasSize(2);
        assertThat(scope.reapplied()).isEqualTo(2);
        assertThat(scope.skipped()).isZero();
    }

    private void apply(String tenant, String id, long version) {
        applied.put(new DocumentKey(tenant, id), new DocumentState(version, false, List.of()));
    }

    private void send(String tenant, String id, long version) {
        UpsertDocument command = new UpsertDocument(tenant, id, version, "Title", "Body of " + id + ".", Map.of(),
                Instant.now());
        commands.pipeInput(command.key(), command);
    }
}
