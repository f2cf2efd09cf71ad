package io.docstream.core.index.qdrant;

import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.docstream.core.index.IndexHit;
import io.docstream.core.index.IndexQuery;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
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
                .containsExactlyInAnyOrder("document_id", "chunk_index", "version", "title", "text");
    }

    @Test
    void asksForTheBestBm25ChunksByTheSparseQueryVector() {
        QueryPoints request = QdrantQueries.keyword("alias", FILTERED, TERMS);

        assertThat(request.getUsing()).isEqualTo("bm25");
        assertThat(request.getQuery().getNearest().getSparse()).isEqualTo(TERMS);
        assertThat(request.getFilter()).isEqualTo(QdrantQueries.chunks(FILTERED));
        assertThat(request.getLimit()).isEqualTo(12);
    }

    @Test
    void fusesADenseAndASparsePrefetchByReciprocalRankInOneQuery() {
        QueryPoints request = QdrantQueries.hybrid("alias", FILTERED, VECTOR, TERMS, 60);

        assertThat(request.getPrefetchList()).hasSize(2);
        PrefetchQuery dense = request.getPrefetch(0);
        assertThat(dense.getUsing()).isEqualTo("dense");
        assertThat(dense.getQuery().getNearest().getDense().getDataList()).containsExactly(0.6f, 0.8f);
        assertThat(dense.getFilter()).isEqualTo(QdrantQueries.chunks(FILTERED));
        assertThat(dense.getLimit()).isEqualTo(12);
        PrefetchQuery sparse = request.getPrefetch(1);
        assertThat(sparse.getUsing()).isEqualTo("bm25");
        assertThat(sparse.getQuery().getNearest().getSparse()).isEqualTo(TERMS);
        assertThat(sparse.getFilter()).isEqualTo(QdrantQueries.chunks(FILTERED));
        assertThat(sparse.getLimit()).isEqualTo(12);
        // Qdrant counts ranks from 0: k = 61 scores the best chunk 1 / 61, like rank constant 60 from rank 1
        assertThat(request.getQuery().getVariantCase()).isEqualTo(Query.VariantCase.RRF);
        assertThat(request.getQuery().getRrf().getK()).isEqualTo(61);
        assertThat(request.getLimit()).isEqualTo(12);
        assertThat(request.hasFilter()).isFalse();
        assertThat(request.getWithPayload().getInclude().getFieldsList()).contains("document_id", "text");
    }

    @Test
    void refusesANegativeRankConstant() {
        assertThat(QdrantQueries.hybrid("alias", FILTERED, VECTOR, TERMS, 0).getQuery().getRrf().getK()).isEqualTo(1);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> QdrantQueries.hybrid("alias", FILTERED, VECTOR, TERMS, -1));
    }

    @Test
    void turnsScoredPointsIntoHits() {
        ScoredPoint point = ScoredPoint.newBuilder().setScore(0.75f)
                .putPayload("document_id", value("kafka")).putPayload("chunk_index", value(1))
                .putPayload("version", value(7)).putPayload("title", value("Kafka"))
                .putPayload("text", value("Partitions are logs.")).build();

        assertThat(QdrantQueries.hits(List.of(point)))
                .containsExactly(new IndexHit("kafka", 1, 7, "Kafka", "Partitions are logs.", 0.75f));
    }
}
