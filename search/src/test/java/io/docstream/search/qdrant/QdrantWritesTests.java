package io.docstream.search.qdrant;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.Vector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QdrantWritesTests {

    private static final IndexWrite.Replace KAFKA = new IndexWrite.Replace("acme", "kafka", 7, "Kafka",
            "Kafka kafka logs\n\nthe of", Map.of("team", "infra", "a.b", "dotted"), "model-a", List.of(
                    new IndexedChunk(0, "Kafka kafka logs", "h0", new float[] { 1, 0, 0 }),
                    new IndexedChunk(1, "the of", "h1", new float[] { 0, 1, 0 })));

    @Test
    void refusesAnotherModelOrOtherDimensionsBeforeSendingAnything() {
        IndexWrite otherModel = new IndexWrite.Replace("acme", "x", 1, "X", "", Map.of(), "model-b", List.of());
        IndexWrite otherDimensions = new IndexWrite.Replace("acme", "y", 1, "Y", "y", Map.of(), "model-a",
                List.of(new IndexedChunk(0, "y", "h", new float[] { 1, 0 })));

        assertThatIllegalStateException()
                .isThrownBy(() -> QdrantWrites.validate(List.of(KAFKA, otherModel), "model-a", 3))
                .withMessageContaining("'model-a'").withMessageContaining("'model-b'").withMessageContaining("acme/x");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> QdrantWrites.validate(List.of(otherDimensions), "model-a", 3))
                .withMessageContaining("2 dimensions, expected 3");
        QdrantWrites.validate(List.of(KAFKA, new IndexWrite.Remove("acme", "z", 1)), "model-a", 3);
    }

    @Test
    void storesAChunkUnderItsDeterministicIdWithPayloadDenseAndSparseVectors() {
        PointStruct point = QdrantWrites.chunkPoint(KAFKA, KAFKA.chunks().getFirst());

        assertThat(point.getId()).isEqualTo(id(PointIds.chunk("acme", "kafka", 0)));
        Map<String, Value> payload = point.getPayloadMap();
        assertThat(payload).containsEntry("kind", value("chunk")).containsEntry("tenant", value("acme"))
                .containsEntry("document_id", value("kafka")).containsEntry("chunk_index", value(0))
                .containsEntry("chunk_hash", value("h0")).containsEntry("version", value(7))
                .containsEntry("title", value("Kafka")).containsEntry("text", value("Kafka kafka logs"))
                .containsEntry("model", value("model-a"));
        assertThat(payload.get("metadata").getStructValue().getFieldsMap())
                .containsOnly(Map.entry("team", value("infra")), Map.entry("a.b", value("dotted")));
        Map<String, Vector> vectors = point.getVectors().getVectors().getVectorsMap();
        assertThat(vectors.get("dense").getDense().getDataList()).containsExactly(1f, 0f, 0f);
        assertThat(vectors.get("bm25").getSparse()).isEqualTo(Bm25Vectors.chunk("Kafka", "Kafka kafka logs"));
        assertThat(payload).containsEntry("chunk_count", value(2));
    }

    @Test
    void leavesOutTheSparseVectorOfAChunkWithoutTerms() {
        IndexWrite.Replace untitled = new IndexWrite.Replace("acme", "stop", 1, "", "the of", Map.of(), "model-a",
                List.of(new IndexedChunk(0, "the of", "h", new float[] { 1, 0, 0 })));

        assertThat(QdrantWrites.chunkPoint(untitled, untitled.chunks().getFirst()).getVectors().getVectors()
                .getVectorsMap()).containsOnlyKeys("dense");
    }

    @Test
    void keepsTheVersionAndTombstoneInAStatePointWithoutVectors() {
        PointStruct live = QdrantWrites.statePoint(KAFKA);
        PointStruct tombstone = QdrantWrites.statePoint(new IndexWrite.Remove("acme", "kafka", 8));

        assertThat(live.getId()).isEqualTo(id(PointIds.document("acme/kafka"))).isEqualTo(tombstone.getId());
        assertThat(live.getPayloadMap()).containsEntry("kind", value("document")).containsEntry("version", value(7))
                .containsEntry("deleted", value(false)).containsEntry("model", value("model-a"))
                .containsEntry("title", value("Kafka"));
        assertThat(live.getPayloadMap().get("metadata").getStructValue().getFieldsMap())
                .containsOnly(Map.entry("team", value("infra")), Map.entry("a.b", value("dotted")));
        assertThat(tombstone.getPayloadMap()).containsEntry("version", value(8)).containsEntry("deleted", value(true))
                .doesNotContainKeys("model", "title", "metadata");
        assertThat(live.getVectors().getVectors().getVectorsMap()).containsOnlyKeys("bm25_document");
        assertThat(live.getVectors().getVectors().getVectorsMap().get("bm25_document").getSparse())
                .isEqualTo(Bm25Vectors.wholeDocument("Kafka", "Kafka kafka logs\n\nthe of"));
        assertThat(tombstone.getVectors().getVectors().getVectorsMap()).isEmpty();
    }

    @Test
    void writesABatchThatWaitsUpsertsFirstAndThenDeletesSurplusChunks() {
        IndexWrite remove = new IndexWrite.Remove("acme", "gone", 3);

        UpdateBatchPoints batch = QdrantWrites.apply("docstream-chunks", List.of(KAFKA, remove));

        assertThat(batch.getCollectionName()).isEqualTo("docstream-chunks");
        assertThat(batch.getWait()).isTrue();
        assertThat(batch.getOperationsList()).extracting(PointsUpdateOperation::getOperationCase).containsExactly(
                PointsUpdateOperation.OperationCase.UPSERT, PointsUpdateOperation.OperationCase.DELETE_POINTS,
                PointsUpdateOperation.OperationCase.DELETE_POINTS);
        assertThat(batch.getOperations(0).getUpsert().getPointsList()).extracting(PointStruct::getId).containsExactly(
                id(PointIds.chunk("acme", "kafka", 0)), id(PointIds.chunk("acme", "kafka", 1)),
                id(PointIds.document("acme/kafka")), id(PointIds.document("acme/gone")));

        Filter surplus = batch.getOperations(1).getDeletePoints().getPoints().getFilter();
        assertThat(surplus.getMustList()).extracting(QdrantWritesTests::describe).containsExactly(
                "tenant=acme", "kind=chunk", "document_id=kafka", "chunk_index>=2.0");
        Filter everyChunk = batch.getOperations(2).getDeletePoints().getPoints().getFilter();
        assertThat(everyChunk.getMustList()).extracting(QdrantWritesTests::describe).containsExactly(
                "tenant=acme", "kind=chunk", "document_id=gone");
    }

    @Test
    void looksUpTheStatePointsOfTheBatchOnceEach() {
        GetPoints lookup = QdrantWrites.stateLookup("alias", List.of(KAFKA, new IndexWrite.Remove("acme", "kafka", 9),
                new IndexWrite.Remove("globex", "kafka", 1)));

        assertThat(lookup.getCollectionName()).isEqualTo("alias");
        assertThat(lookup.getIdsList()).extracting(PointId::getUuid).containsExactly(
                PointIds.document("acme/kafka").toString(), PointIds.document("globex/kafka").toString());
        assertThat(lookup.getWithVectors().getEnable()).isFalse();
        assertThat(lookup.getWithPayload().getInclude().getFieldsList()).contains("version");
    }

    @Test
    void readsStoredVersionsByDocumentKey() {
        List<RetrievedPoint> states = List.of(state("acme", "kafka", 7), state("globex", "kafka", 2));

        assertThat(QdrantWrites.storedVersions(states)).containsOnly(Map.entry("acme/kafka", 7L),
                Map.entry("globex/kafka", 2L));
    }

    private static RetrievedPoint state(String tenant, String documentId, long version) {
        return RetrievedPoint.newBuilder().setId(id(PointIds.document(tenant + "/" + documentId)))
                .putPayload("tenant", value(tenant)).putPayload("document_id", value(documentId))
                .putPayload("version", value(version)).build();
    }

    static String describe(Condition condition) {
        var field = condition.getField();
        if (field.hasRange()) {
            return field.getKey() + ">=" + field.getRange().getGte();
        }
        var match = field.getMatch();
        if (match.getMatchValueCase() == io.qdrant.client.grpc.Common.Match.MatchValueCase.KEYWORDS) {
            return field.getKey() + " in " + match.getKeywords().getStringsList();
        }
        return field.getKey() + "=" + switch (match.getMatchValueCase()) {
            case KEYWORD -> match.getKeyword();
            case BOOLEAN -> Boolean.toString(match.getBoolean());
            default -> match.toString();
        };
    }
}
