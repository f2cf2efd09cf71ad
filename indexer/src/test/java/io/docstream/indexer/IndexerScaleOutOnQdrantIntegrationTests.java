package io.docstream.indexer;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.platform.testing.ServiceArguments;
import io.docstream.platform.testing.TestDatabase;
import io.docstream.platform.testing.TestKafka;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.topics.Topics;
import io.docstream.search.SearchIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The indexer scales out on Qdrant: two instances in one consumer group split the documents topic's partitions and
 * write one collection, and every document is indexed once. (On the embedded Lucene index there is one writer;
 * a second one is refused at start, {@code LuceneSearchIndexTests}.)
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("Two indexers on one Qdrant collection (needs Docker; skipped without it)")
class IndexerScaleOutOnQdrantIntegrationTests {

    private static final int DOCUMENTS = 60;
    private static final TestDatabase DATABASE = TestDatabase.shared();

    @Container
    static final QdrantContainer QDRANT = new QdrantContainer("qdrant/qdrant:v1.18.0");

    @TempDir
    static Path temp;

    private static EmbeddedKafkaKraftBroker kafka;
    private static final List<ConfigurableApplicationContext> INDEXERS = new ArrayList<>();

    @BeforeAll
    static void startTwoIndexers() {
        kafka = TestKafka.start();
        DATABASE.truncateAll();
        DATABASE.ensureTenant("acme");
        for (int i = 0; i < 2; i++) {
            INDEXERS.add(IndexerApplication.builder().run(ServiceArguments.create().anyPort().database(DATABASE)
                    .kafka(kafka.getBrokersAsString())
                    .set("docstream.streams.state-dir", temp.resolve("streams-" + i))
                    .set("docstream.index.type", "qdrant")
                    .set("docstream.index.qdrant.host", QDRANT.getHost())
                    .set("docstream.index.qdrant.port", QDRANT.getGrpcPort())
                    .set("docstream.indexer.flush-interval", "50ms")
                    .commandLine()));
        }
    }

    @AfterAll
    static void stop() {
        INDEXERS.forEach(ConfigurableApplicationContext::close);
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void twoIndexersSplitThePartitionsAndIndexEveryDocumentOnce() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.getBrokersAsString()))) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("docstream-indexer")).all()
                        .get().get("docstream-indexer");
                assertThat(group.members()).hasSize(2);
                List<Set<TopicPartition>> shares = new ArrayList<>();
                for (MemberDescription member : group.members()) {
                    Set<TopicPartition> documents = new HashSet<>(member.assignment().topicPartitions());
                    documents.removeIf(partition -> !partition.topic().equals(Topics.DOCUMENTS.name()));
                    assertThat(documents).as("each indexer writes a share").isNotEmpty();
                    shares.add(documents);
                }
                assertThat(shares.get(0)).doesNotContainAnyElementsOf(shares.get(1));
            });
        }

        try (KafkaProducer<DocumentKey, DocumentCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(), ProducerConfig.ACKS_CONFIG, "all"),
                Topics.DOCUMENTS.keySerde().serializer(), Topics.DOCUMENTS.valueSerde().serializer())) {
            for (int i = 0; i < DOCUMENTS; i++) {
                UpsertDocument command = new UpsertDocument("acme", "doc-" + i, 1, "Report " + i,
                        "Field report number " + i + " about kingfishers along the river.", Map.of(), Instant.now());
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), command.key(), command)).get();
            }
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> DATABASE.dsl().fetchCount(INDEXING_STATUS,
                INDEXING_STATUS.TENANT_ID.eq("acme").and(INDEXING_STATUS.STATE.eq("indexed"))) == DOCUMENTS);
        SearchIndex index = INDEXERS.getFirst().getBean(SearchIndex.class);
        assertThat(index.countDocuments("acme")).as("every document once in the one collection").isEqualTo(DOCUMENTS);
    }
}
