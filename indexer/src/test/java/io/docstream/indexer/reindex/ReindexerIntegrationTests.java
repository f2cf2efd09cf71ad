package io.docstream.indexer.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.docstream.embedding.EmbedderRegistry;
import io.docstream.embedding.SwitchableEmbedder;
import io.docstream.indexer.operations.GroupOperations;
import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.kafka.KafkaClients;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexTarget;
import io.docstream.search.SearchIndexConfiguration;
import io.docstream.search.chunking.Chunker;
import io.docstream.search.lucene.LuceneIndexTargets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The reindexer against a real KRaft broker, PostgreSQL (embedding cache) and Lucene targets: it builds a new
 * target from the documents topic while the old one serves, follows live writes, switches, rolls back.
 */
class ReindexerIntegrationTests {

    private static final TestDatabase database = TestDatabase.shared();
    private static final String MINILM = "all-minilm-l6-v2-q";
    private static final String BGE = "bge-small-en-v1.5-q";
    private static final Reindexer.Caller CALLER = new Reindexer.Caller("acme", "key:test", "req-1");

    private static EmbeddedKafkaKraftBroker kafka;
    private static EmbedderRegistry registry;

    @TempDir
    Path temp;

    private LuceneIndexTargets targets;
    private SwitchableEmbedder embedder;
    private Reindexer reindexer;
    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start(Topics.DOCUMENTS.name());
        registry = new EmbedderRegistry();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @BeforeEach
    void open() {
        targets = LuceneIndexTargets.open(temp.resolve("index"), "chunks", MINILM, "1");
        embedder = new SwitchableEmbedder(registry, MINILM);
        SearchIndexConfiguration.followModel(targets, embedder);
        AuditTrail trail = event -> audited.add(event);
        KafkaClients kafkaClients = new KafkaClients(Map.of(), List.of(kafka.getBrokersAsString()));
        reindexer = new Reindexer(targets, registry, new Chunker(200, 32, embedder.tokenCounter()), database.dsl(),
                16, new SimpleMeterRegistry(), kafkaClients,
                new ReindexProperties(0, Duration.ofMillis(100), 256, 3, Duration.ofMillis(100), 1000),
                () -> Optional.of(trail),
                new IndexerProgress(kafkaClients, "docstream-indexer", Topics.DOCUMENTS.name()),
                Clock.systemUTC(), new GroupOperations(database.dsl(), "reindexer-tests-" + UUID.randomUUID()));
    }

    @AfterEach
    void close() {
        reindexer.close();
        targets.close();
    }

    @Test
    void buildsFollowsSwitchesAndRollsBackWithoutLosingWrites() {
        String tenant = "reindex-a";
        produce(upsert(tenant, "doc-1", 1, "Kingfishers dive into rivers to catch fish."),
                upsert(tenant, "doc-2", 1, "Herons stand still in shallow water."),
                upsert(tenant, "doc-2", 2, "Herons wait motionless in shallow water for frogs."));
        String old = targets.current().name();

        ReindexStatus started = reindexer.start(new ReindexRequest(null, "2", false), CALLER);
        assertThat(started.target()).isEqualTo("chunks__" + MINILM + "__2");
        assertThat(started.previous()).isEqualTo(old);
        await().atMost(Duration.ofSeconds(60)).until(() -> reindexer.status().state().equals("caught-up"));
        assertThat(targets.current().name()).isEqualTo(old);

        produce(upsert(tenant, "doc-3", 1, "Puffins nest in burrows on sea cliffs."));
        await().atMost(Duration.ofSeconds(30)).until(() -> targets.open(started.target()).countDocuments(tenant) == 3);
        assertThat(keyword(started.target(), tenant, "frogs")).containsExactly("doc-2");

        reindexer.switchAlias(CALLER);
        assertThat(targets.current().name()).isEqualTo(started.target());
        assertThat(targets.serving().countDocuments(tenant)).isEqualTo(3);

        produce(upsert(tenant, "doc-4", 1, "Swifts sleep while flying."));
        // No indexer ran here, so the old target held nothing: everything the indexer had not applied reaches
        // it after the switch, and every new write reaches both.
        await().atMost(Duration.ofSeconds(30)).until(() -> targets.open(old).countDocuments(tenant) == 4
                && targets.open(started.target()).countDocuments(tenant) == 4);

        reindexer.rollback(CALLER);
        assertThat(targets.current().name()).isEqualTo(old);
        assertThat(keyword(old, tenant, "swifts")).containsExactly("doc-4");

        ReindexStatus finished = reindexer.finish(true, CALLER);
        assertThat(finished.state()).isEqualTo("finished");
        assertThat(finished.records()).isGreaterThanOrEqualTo(5);
        assertThat(targets.list()).extracting(IndexTarget::name).containsExactly(old);
        assertThat(audited).extracting(AuditEvent::action).containsExactly(AuditActions.REINDEX_START,
                AuditActions.REINDEX_SWITCH, AuditActions.REINDEX_ROLLBACK, AuditActions.REINDEX_FINISH);
        assertThat(audited).allSatisfy(event -> assertThat(event.actor()).isEqualTo("key:test"));
    }

    @Test
    void switchesToAnotherModelAutomaticallyAndTheServingEmbedderFollows() {
        String tenant = "reindex-b";
        produce(upsert(tenant, "doc-1", 1, "Octopuses change colour to hide from predators."));

        ReindexStatus started = reindexer.start(new ReindexRequest(BGE, "7", true), CALLER);
        await().atMost(Duration.ofSeconds(90)).until(() -> reindexer.status().state().equals("switched"));

        assertThat(targets.current()).isEqualTo(new IndexTarget.Ref(started.target(), BGE));
        assertThat(embedder.modelId()).isEqualTo(BGE);
        assertThat(targets.serving().searchDense(new IndexQuery(tenant, 3, Map.of()),
                embedder.embedQuery("which animal camouflages itself?"))).extracting(IndexHit::documentId)
                .contains("doc-1");
        assertThat(audited).extracting(AuditEvent::action, AuditEvent::actor).contains(
                org.assertj.core.groups.Tuple.tuple(AuditActions.REINDEX_SWITCH, AuditActions.systemActor("indexer")));

        reindexer.rollback(CALLER);
        assertThat(embedder.modelId()).isEqualTo(MINILM);
        reindexer.finish(false, CALLER);
    }

    @Test
    void refusesASecondReindexAndTheTargetTheAliasAlreadyNames() {
        String current = targets.current().name();
        String build = current.substring(current.lastIndexOf("__") + 2);

        assertThatThrownBy(() -> reindexer.start(new ReindexRequest(MINILM, build, true), CALLER))
                .isInstanceOf(ReindexConflictException.class).hasMessageContaining("already points at");
        reindexer.start(new ReindexRequest(null, "3", false), CALLER);
        assertThatThrownBy(() -> reindexer.start(new ReindexRequest(null, "4", false), CALLER))
                .isInstanceOf(ReindexConflictException.class).hasMessageContaining("finish it first");
        assertThatThrownBy(() -> reindexer.rollback(CALLER)).isInstanceOf(ReindexConflictException.class);
        reindexer.finish(true, CALLER);
        assertThat(targets.list()).extracting(IndexTarget::name).containsExactly(current);
    }

    private List<String> keyword(String target, String tenant, String text) {
        return targets.open(target).searchKeyword(new IndexQuery(tenant, 5, Map.of()), text).stream()
                .map(DocumentHit::documentId).toList();
    }

    private static UpsertDocument upsert(String tenant, String id, long version, String body) {
        return new UpsertDocument(tenant, id, version, "", body, Map.of(), Instant.now());
    }

    private static void produce(DocumentCommand... commands) {
        try (KafkaProducer<DocumentKey, DocumentCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all"),
                Topics.DOCUMENTS.keySerde().serializer(), Topics.DOCUMENTS.valueSerde().serializer())) {
            for (DocumentCommand command : commands) {
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), command.key(), command)).get();
            }
        } catch (Exception e) {
            throw new AssertionError("could not produce", e);
        }
    }
}
