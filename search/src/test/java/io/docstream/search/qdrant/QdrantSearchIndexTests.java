package io.docstream.search.qdrant;

import static io.qdrant.client.PointIdFactory.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.docstream.search.IndexHit;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import io.docstream.search.SearchIndexContractTests;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The contract suite and the collection/alias lifecycle against a real Qdrant in a container; every test
 * gets an alias (and so collections) of its own. Skipped where Docker is not available.
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("QdrantSearchIndex against qdrant/qdrant:v1.18.0 (needs Docker; skipped without it)")
class QdrantSearchIndexTests extends SearchIndexContractTests {

    static final String IMAGE = "qdrant/qdrant:v1.18.0";
    private static final String MODEL = "all-minilm-l6-v2-q";

    @Container
    static final QdrantContainer qdrant = new QdrantContainer(IMAGE);

    private static QdrantClient admin;

    private final List<String> aliases = new ArrayList<>();

    @BeforeAll
    static void connectAdmin() {
        admin = new QdrantClient(QdrantGrpcClient.newBuilder(qdrant.getHost(), qdrant.getGrpcPort(), false).build());
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    @Override
    protected SearchIndex createIndex() {
        return open(newAlias(), MODEL);
    }

    @AfterEach
    void dropCollections() throws Exception {
        for (String collection : admin.listCollectionsAsync().get()) {
            if (aliases.stream().anyMatch(alias -> collection.startsWith(alias + "__"))) {
                admin.deleteCollectionAsync(collection).get();
            }
        }
    }

    @Test
    void createsTheCollectionBehindTheAliasWithItsPayloadIndexesOnFirstUse() throws Exception {
        QdrantSearchIndex qdrantIndex = (QdrantSearchIndex) index;
        String alias = qdrantIndex.settings().alias();
        assertThat(qdrantIndex.aliasTarget()).isEmpty();

        qdrantIndex.write(corpus(TENANT, 1));

        String collection = alias + "__" + MODEL + "__1";
        assertThat(qdrantIndex.aliasTarget()).contains(collection);
        assertThat(qdrantIndex.collections()).containsExactly(collection);
        CollectionInfo info = admin.getCollectionInfoAsync(collection).get();
        assertThat(info.getPayloadSchemaMap()).containsKeys("tenant", "kind", "document_id", "metadata.team",
                "metadata.engine");
        assertThat(info.getConfig().getMetadataMap().get("model").getStringValue()).isEqualTo(MODEL);
    }

    @Test
    void storesEachChunkUnderItsDeterministicPointId() throws Exception {
        index.write(corpus(TENANT, 4));

        List<RetrievedPoint> points = admin.retrieveAsync(GetPoints.newBuilder()
                .setCollectionName(((QdrantSearchIndex) index).settings().alias())
                .addIds(id(PointIds.chunk(TENANT, "kafka", 1)))
                .addIds(id(PointIds.document(TENANT + "/kafka")))
                .setWithPayload(WithPayloadSelectorFactory.enable(true))
                .build(), Duration.ofSeconds(10)).get();

        assertThat(points).hasSize(2).allSatisfy(point -> {
            assertThat(point.getPayloadMap().get("document_id").getStringValue()).isEqualTo("kafka");
            assertThat(point.getPayloadMap().get("version").getIntegerValue()).isEqualTo(4);
        });
    }

    @Test
    void reusesTheAliasAcrossInstancesAndRefusesAnotherModelBehindIt() {
        String alias = ((QdrantSearchIndex) index).settings().alias();
        index.write(corpus(TENANT, 3));

        try (QdrantSearchIndex reopened = open(alias, MODEL)) {
            assertThat(reopened.countDocuments(TENANT)).isEqualTo(4);
            assertThat(reopened.write(List.of(replace(TENANT, "kafka", 2, "Old", Map.of(), "Old text."))))
                    .containsExactly(TENANT + "/kafka");
        }
        try (QdrantSearchIndex otherModel = open(alias, "bge-small-en-v1.5-q")) {
            assertThatIllegalStateException().isThrownBy(() -> otherModel.countDocuments(TENANT))
                    .withMessageContaining(MODEL).withMessageContaining("bge-small-en-v1.5-q");
        }
    }

    @Test
    void switchesTheAliasToANewBuildAtOnceAndDropsOnlyCollectionsItDoesNotPointAt() {
        QdrantSearchIndex qdrantIndex = (QdrantSearchIndex) index;
        index.write(corpus(TENANT, 1));
        String first = qdrantIndex.aliasTarget().orElseThrow();

        String second = qdrantIndex.createCollection(MODEL, DIMENSIONS, "2");
        assertThat(qdrantIndex.searchKeyword(query(5), "partitions")).isNotEmpty();
        qdrantIndex.pointAliasAt(second);

        assertThat(qdrantIndex.aliasTarget()).contains(second);
        assertThat(qdrantIndex.collections()).containsExactly(first, second);
        assertThat(qdrantIndex.countDocuments(TENANT)).isZero();
        assertThat(qdrantIndex.searchKeyword(query(5), "partitions")).isEmpty();
        assertThatIllegalStateException().isThrownBy(() -> qdrantIndex.dropCollection(second));

        qdrantIndex.dropCollection(first);
        assertThat(qdrantIndex.collections()).containsExactly(second);
    }

    private String newAlias() {
        String alias = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        aliases.add(alias);
        return alias;
    }

    private static QdrantSearchIndex open(String alias, String model) {
        return new QdrantSearchIndex(new QdrantSettings(qdrant.getHost(), qdrant.getGrpcPort(), false, "",
                Duration.ofSeconds(10), alias, "1", List.of("team", "engine")), model, DIMENSIONS);
    }
}
