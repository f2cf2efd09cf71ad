package io.docstream.search.qdrant;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.QueryPointGroups;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QdrantQueriesTests {

    private static final IndexQuery FILTERED = new IndexQuery("acme", 12, Map.of("team", "infra", "a.b", "x"));
    private static final float[] VECTOR = { 0.6f, 0.8f };
    private static final SparseVector TERMS = Bm25Vectors.query("kafka logs").orElseThrow();

    @Test
    void confinesChunkSearchesToTheTenantAndEveryMetadataFilter() {
        Filter filter = QdrantQueries.chunks(FILTERED);

        assertThat(filter.getShouldList()).isEmpty();
        assertThat(filter.getMustNotList()).isEmpty();
        assertThat(filter.getMustList()).extracting(QdrantWritesTests::describe).containsExactly(
                "tenant=acme", "kind=chunk", "metadata.\"a.b\"=x", "metadata.team=infra");
        assertThat(QdrantQueries.chunks(new IndexQuery("globex", 1, Map.of())).getMustList())
                .extracting(QdrantWritesTests::describe).containsExactly("tenant=globex", "kind=chunk");
    }

    @Test
    void countsLiveDocumentsByTheirStatePoints() {
        assertThat(QdrantQueries.liveDocuments("acme").getMustList()).extracting(QdrantWritesTests::describe)
                .containsExactly("tenant=acme", "kind=document", "deleted=false");
    }

    @Test
    void asksForTheNearestChunksByTheDenseVector() {
        QueryPoints request = QdrantQueries.dense("alias", FILTERED, VECTOR);

        assertThat(request.getCollectionName()).isEqualTo("alias");
        assertThat(request.getUsing()).isEqualTo("dense");
        assertThat(request.getQuery().getNearest().getDense().getDataList()).containsExactly(0.6f, 0.8f);
        assertThat(request.getFilter()).isEqualTo(QdrantQueries.chunks(FILTERED));
        assertThat(request.getLimit()).isEqualTo(12);
        assertThat(request.getWithPayload().getInclude().getFieldsList())
                .containsExactlyInAnyOrder("document_id", "chunk_index", "chunk_count", "version", "title", "text");
    }

    @Test
    void confinesDocumentSearchesToLiveDocumentsOfTheTenantAndEveryMetadataFilter() {
        assertThat(QdrantQueries.documents(FILTERED).getMustList()).extracting(QdrantWritesTests::describe)
                .containsExactly("tenant=acme", "kind=document", "metadata.\"a.b\"=x", "metadata.team=infra",
                        "deleted=false");
    }

    @Test
    void asksForTheBestDocumentsByTheirWholeTextBm25Vector() {
        QueryPoints request = QdrantQueries.keyword("alias", FILTERED, TERMS);

        assertThat(request.getUsing()).isEqualTo("bm25_document");
        assertThat(request.getQuery().getNearest().getSparse()).isEqualTo(TERMS);
        assertThat(request.getFilter()).isEqualTo(QdrantQueries.documents(FILTERED));
        assertThat(request.getLimit()).isEqualTo(12);
        assertThat(request.getWithPayload().getInclude().getFieldsList())
                .containsExactlyInAnyOrder("document_id", "version", "title");
    }

    @Test
    void asksForTheBestChunkOfEachDocumentInOneGroupedQuery() {
        QueryPointGroups request = QdrantQueries.bestChunks("alias", FILTERED, List.of("kafka", "lucene"), TERMS);

        assertThat(request.getUsing()).isEqualTo("bm25");
        assertThat(request.getQuery().getNearest().getSparse()).isEqualTo(TERMS);
        assertThat(request.getGroupBy()).isEqualTo("document_id");
        assertThat(request.getGroupSize()).isEqualTo(1);
        assertThat(request.getLimit()).isEqualTo(2);
        assertThat(request.getFilter().getMustList()).extracting(QdrantWritesTests::describe)
                .containsExactly("tenant=acme", "kind=chunk", "document_id in [kafka, lucene]");
    }

    @Test
    void readsTheFirstChunksOfDocumentsByPointId() {
        GetPoints request = QdrantQueries.firstChunks("alias", "acme", List.of("kafka"));

        assertThat(request.getIdsList()).containsExactly(id(PointIds.chunk("acme", "kafka", 0)));
        assertThat(request.getWithVectors().getEnable()).isFalse();
    }

    @Test
    void turnsScoredStatePointsIntoDocumentHits() {
        ScoredPoint point = ScoredPoint.newBuilder().setScore(3.5f)
                .putPayload("document_id", value("kafka")).putPayload("version", value(7))
                .putPayload("title", value("Kafka")).build();

        assertThat(QdrantQueries.documentHits(List.of(point))).containsExactly(new DocumentHit("kafka", 7, "Kafka", 3.5f));
    }

    @Test
    void turnsScoredPointsIntoHits() {
        ScoredPoint point = ScoredPoint.newBuilder().setScore(0.75f)
                .putPayload("document_id", value("kafka")).putPayload("chunk_index", value(1))
                .putPayload("version", value(7)).putPayload("title", value("Kafka"))
                .putPayload("text", value("Partitions are logs.")).build();

        assertThat(QdrantQueries.hits(List.of(point)))
                .containsExactly(new IndexHit("kafka", 1, 7, "Kafka", "Partitions are logs.", 0.75f, 1));
        assertThat(QdrantQueries.hits(List.of(point.toBuilder().putPayload("chunk_count", value(4)).build())))
                .extracting(IndexHit::documentChunks).containsExactly(4);
    }
}
