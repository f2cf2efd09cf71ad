package io.docstream.search.qdrant;

import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;
import java.util.List;
import org.junit.jupiter.api.Test;

class QdrantCollectionsTests {

    @Test
    void aCollectionIsSpreadOverTheClusterAsConfiguredOrLeftToQdrantsDefaults() {
        CreateCollection sharded = QdrantCollections.create("c", "m", 384, "1", 6, 2);
        CreateCollection defaults = QdrantCollections.create("c", "m", 384, "1", 0, 0);

        assertThat(sharded.getShardNumber()).isEqualTo(6);
        assertThat(sharded.getReplicationFactor()).isEqualTo(2);
        assertThat(defaults.hasShardNumber()).isFalse();
        assertThat(defaults.hasReplicationFactor()).isFalse();
    }

    @Test
    void namesACollectionByAliasModelAndBuild() {
        assertThat(QdrantCollections.name("docstream-chunks", "all-minilm-l6-v2-q", "1"))
                .isEqualTo("docstream-chunks__all-minilm-l6-v2-q__1");
        assertThat(QdrantCollections.name("chunks", "org/model:v1.5", "2026 11"))
                .isEqualTo("chunks__org-model-v1.5__2026-11");
    }

    @Test
    void createsANamedCosineVectorAndIdfModifiedSparseVectorsForChunksAndDocuments() {
        CreateCollection request = QdrantCollections.create("chunks__m__1", "m", 384, "1");

        assertThat(request.getCollectionName()).isEqualTo("chunks__m__1");
        var dense = request.getVectorsConfig().getParamsMap().getMapMap();
        assertThat(dense).containsOnlyKeys("dense");
        assertThat(dense.get("dense").getSize()).isEqualTo(384);
        assertThat(dense.get("dense").getDistance()).isEqualTo(Distance.Cosine);
        var sparse = request.getSparseVectorsConfig().getMapMap();
        assertThat(sparse).containsOnlyKeys("bm25", "bm25_document");
        assertThat(sparse.get("bm25").getModifier()).isEqualTo(Modifier.Idf);
        assertThat(sparse.get("bm25_document").getModifier()).isEqualTo(Modifier.Idf);
        assertThat(request.getMetadataMap()).containsEntry("model", value("m")).containsEntry("dimensions", value(384))
                .containsEntry("build", value("1"));
        assertThatIllegalArgumentException().isThrownBy(() -> QdrantCollections.create("c", "m", 0, "1"));
    }

    @Test
    void indexesTheTenantAsTenantKeyAndTheFilteredMetadataKeys() {
        List<CreateFieldIndexCollection> indexes = QdrantCollections.payloadIndexes("c", List.of("team", "a.b", "team"));

        assertThat(indexes).extracting(CreateFieldIndexCollection::getFieldName)
                .containsExactly("tenant", "kind", "document_id", "metadata.team", "metadata.\"a.b\"");
        assertThat(indexes).allSatisfy(index -> {
            assertThat(index.getCollectionName()).isEqualTo("c");
            assertThat(index.getWait()).isTrue();
            assertThat(index.getFieldType()).isEqualTo(FieldType.FieldTypeKeyword);
        });
        assertThat(indexes.getFirst().getFieldIndexParams().getKeywordIndexParams().getIsTenant()).isTrue();
        assertThat(indexes.subList(1, indexes.size()))
                .allSatisfy(index -> assertThat(index.getFieldIndexParams().getKeywordIndexParams().hasIsTenant())
                        .isFalse());
        assertThatIllegalArgumentException().isThrownBy(() -> QdrantCollections.payloadIndexes("c", List.of("a\"b")));
    }

    @Test
    void asksOnlyForPayloadIndexesTheCollectionLacks() {
        CollectionInfo info = info(384, Distance.Cosine, Modifier.Idf, "m").toBuilder()
                .putPayloadSchema("tenant", PayloadSchemaInfo.newBuilder().setDataType(PayloadSchemaType.Keyword).build())
                .putPayloadSchema("kind", PayloadSchemaInfo.newBuilder().setDataType(PayloadSchemaType.Keyword).build())
                .build();

        assertThat(QdrantCollections.missingPayloadIndexes(info, "c", List.of("team")))
                .extracting(CreateFieldIndexCollection::getFieldName).containsExactly("document_id", "metadata.team");
    }

    @Test
    void addsTheWholeDocumentVectorToACollectionCreatedBeforeIt() {
        CollectionInfo current = info(384, Distance.Cosine, Modifier.Idf, "m");
        CollectionInfo.Builder older = current.toBuilder();
        older.getConfigBuilder().getParamsBuilder().getSparseVectorsConfigBuilder().removeMap("bm25_document");

        assertThat(QdrantCollections.missingSparseVectors(current, "c")).isEmpty();
        assertThat(QdrantCollections.missingSparseVectors(older.build(), "c")).hasValueSatisfying(update -> {
            assertThat(update.getCollectionName()).isEqualTo("c");
            assertThat(update.getSparseVectorsConfig().getMapMap()).containsOnlyKeys("bm25_document");
            assertThat(update.getSparseVectorsConfig().getMapMap().get("bm25_document").getModifier())
                    .isEqualTo(Modifier.Idf);
        });
        QdrantCollections.verify(older.build(), "c", "m", 384);
    }

    @Test
    void switchesAnAliasAtomicallyByDeletingAndCreatingItInOneChange() {
        List<AliasOperations> switchOver = QdrantCollections.pointAlias("chunks", "chunks__m__2", true);

        assertThat(switchOver).extracting(AliasOperations::getActionCase).containsExactly(
                AliasOperations.ActionCase.DELETE_ALIAS, AliasOperations.ActionCase.CREATE_ALIAS);
        assertThat(switchOver.get(0).getDeleteAlias().getAliasName()).isEqualTo("chunks");
        assertThat(switchOver.get(1).getCreateAlias().getAliasName()).isEqualTo("chunks");
        assertThat(switchOver.get(1).getCreateAlias().getCollectionName()).isEqualTo("chunks__m__2");
        assertThat(QdrantCollections.pointAlias("chunks", "chunks__m__1", false))
                .extracting(AliasOperations::getActionCase).containsExactly(AliasOperations.ActionCase.CREATE_ALIAS);
    }

    @Test
    void acceptsACollectionThatFitsTheModel() {
        QdrantCollections.verify(info(384, Distance.Cosine, Modifier.Idf, "m"), "c", "m", 384);
        QdrantCollections.verify(info(384, Distance.Cosine, Modifier.Idf, null), "c", "m", 384);
    }

    @Test
    void refusesACollectionOfAnotherModelOtherDimensionsOrLayout() {
        assertThatIllegalStateException()
                .isThrownBy(() -> QdrantCollections.verify(info(384, Distance.Cosine, Modifier.Idf, "other"), "c", "m", 384))
                .withMessageContaining("'other'").withMessageContaining("'m'");
        assertThatIllegalStateException()
                .isThrownBy(() -> QdrantCollections.verify(info(768, Distance.Cosine, Modifier.Idf, "m"), "c", "m", 384))
                .withMessageContaining("768").withMessageContaining("384");
        assertThatIllegalStateException()
                .isThrownBy(() -> QdrantCollections.verify(info(384, Distance.Dot, Modifier.Idf, "m"), "c", "m", 384));
        assertThatIllegalStateException()
                .isThrownBy(() -> QdrantCollections.verify(info(384, Distance.Cosine, Modifier.None, "m"), "c", "m", 384));
        assertThatIllegalStateException()
                .isThrownBy(() -> QdrantCollections.verify(CollectionInfo.getDefaultInstance(), "c", "m", 384))
                .withMessageContaining("not created by docstream");
    }

    /** What Qdrant reports for a collection made by {@link QdrantCollections#create}, with variations. */
    private static CollectionInfo info(int dimensions, Distance distance, Modifier modifier, String model) {
        CreateCollection created = QdrantCollections.create("c", model == null ? "m" : model, dimensions, "1");
        var dense = created.getVectorsConfig().toBuilder();
        dense.getParamsMapBuilder().putMap("dense",
                dense.getParamsMap().getMapMap().get("dense").toBuilder().setDistance(distance).build());
        var sparse = created.getSparseVectorsConfig().toBuilder();
        sparse.putMap("bm25", sparse.getMapMap().get("bm25").toBuilder().setModifier(modifier).build());
        CollectionConfig.Builder config = CollectionConfig.newBuilder().setParams(CollectionParams.newBuilder()
                .setVectorsConfig(dense).setSparseVectorsConfig(sparse));
        if (model != null) {
            config.putAllMetadata(created.getMetadataMap());
        }
        return CollectionInfo.newBuilder().setConfig(config).build();
    }
}
