package io.docstream.core.index.qdrant;

import static io.docstream.core.index.qdrant.PayloadKeys.CHUNK_INDEX;
import static io.docstream.core.index.qdrant.PayloadKeys.DELETED;
import static io.docstream.core.index.qdrant.PayloadKeys.DENSE_VECTOR;
import static io.docstream.core.index.qdrant.PayloadKeys.DOCUMENT_ID;
import static io.docstream.core.index.qdrant.PayloadKeys.KIND;
import static io.docstream.core.index.qdrant.PayloadKeys.KIND_CHUNK;
import static io.docstream.core.index.qdrant.PayloadKeys.KIND_DOCUMENT;
import static io.docstream.core.index.qdrant.PayloadKeys.SPARSE_VECTOR;
import static io.docstream.core.index.qdrant.PayloadKeys.TENANT;
import static io.docstream.core.index.qdrant.PayloadKeys.TEXT;
import static io.docstream.core.index.qdrant.PayloadKeys.TITLE;
import static io.docstream.core.index.qdrant.PayloadKeys.VERSION;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;

import io.docstream.core.index.IndexHit;
import io.docstream.core.index.IndexQuery;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The read side as Qdrant requests: filters, the dense, BM25 and fused queries, and their hits. */
final class QdrantQueries {

    private static final WithPayloadSelector HIT_FIELDS = WithPayloadSelectorFactory.include(
            List.of(DOCUMENT_ID, CHUNK_INDEX, VERSION, TITLE, TEXT));

    private QdrantQueries() {
    }

    /** Chunks of the query's tenant that carry every requested metadata value. */
    static Filter chunks(IndexQuery query) {
        Filter.Builder filter = Filter.newBuilder()
                .addMust(matchKeyword(TENANT, query.tenant()))
                .addMust(matchKeyword(KIND, KIND_CHUNK));
        new TreeMap<>(query.filters()).forEach((key, value) ->
                filter.addMust(matchKeyword(PayloadKeys.metadataPath(key), value)));
        return filter.build();
    }

    /** The tenant's document state points that are not tombstones. */
    static Filter liveDocuments(String tenant) {
        return Filter.newBuilder()
                .addMust(matchKeyword(TENANT, tenant))
                .addMust(matchKeyword(KIND, KIND_DOCUMENT))
                .addMust(match(DELETED, false))
                .build();
    }

    /** The live (not deleted) document state points of every tenant. */
    static Filter allLiveDocuments() {
        return Filter.newBuilder()
                .addMust(matchKeyword(KIND, KIND_DOCUMENT))
                .addMust(match(DELETED, false))
                .build();
    }

    /** Every chunk point of one document. */
    static Filter documentChunks(String tenant, String documentId) {
        return Filter.newBuilder()
                .addMust(matchKeyword(TENANT, tenant))
                .addMust(matchKeyword(KIND, KIND_CHUNK))
                .addMust(matchKeyword(DOCUMENT_ID, documentId))
                .build();
    }

    static QueryPoints dense(String collection, IndexQuery query, float[] vector) {
        return QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(QueryFactory.nearest(vector))
                .setUsing(DENSE_VECTOR)
                .setFilter(chunks(query))
                .setLimit(query.k())
                .setWithPayload(HIT_FIELDS)
                .build();
    }

    static QueryPoints keyword(String collection, IndexQuery query, SparseVector terms) {
        return QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(sparseQuery(terms))
                .setUsing(SPARSE_VECTOR)
                .setFilter(chunks(query))
                .setLimit(query.k())
                .setWithPayload(HIT_FIELDS)
                .build();
    }

    /**
     * One fused query: a dense and a BM25 prefetch of {@code query.k()} chunks each, both filtered, merged
     * by reciprocal rank fusion. Qdrant ranks from 0 and scores {@code 1 / (k + rank)}, so its {@code k} is
     * {@code rankConstant + 1} to match ranks counted from 1.
     */
    static QueryPoints hybrid(String collection, IndexQuery query, float[] vector, SparseVector terms,
            int rankConstant) {
        if (rankConstant < 0) {
            throw new IllegalArgumentException("rankConstant must not be negative, was " + rankConstant);
        }
        Filter filter = chunks(query);
        return QueryPoints.newBuilder()
                .setCollectionName(collection)
                .addPrefetch(PrefetchQuery.newBuilder()
                        .setQuery(QueryFactory.nearest(vector))
                        .setUsing(DENSE_VECTOR)
                        .setFilter(filter)
                        .setLimit(query.k()))
                .addPrefetch(PrefetchQuery.newBuilder()
                        .setQuery(sparseQuery(terms))
                        .setUsing(SPARSE_VECTOR)
                        .setFilter(filter)
                        .setLimit(query.k()))
                .setQuery(QueryFactory.rrf(Rrf.newBuilder().setK(rankConstant + 1).build()))
                .setLimit(query.k())
                .setWithPayload(HIT_FIELDS)
                .build();
    }

    static List<IndexHit> hits(List<ScoredPoint> points) {
        return points.stream().map(point -> {
            Map<String, Value> payload = point.getPayloadMap();
            return new IndexHit(payload.get(DOCUMENT_ID).getStringValue(),
                    (int) payload.get(CHUNK_INDEX).getIntegerValue(), payload.get(VERSION).getIntegerValue(),
                    payload.get(TITLE).getStringValue(), payload.get(TEXT).getStringValue(), point.getScore());
        }).toList();
    }

    private static Query sparseQuery(SparseVector terms) {
        return QueryFactory.nearest(VectorInput.newBuilder().setSparse(terms).build());
    }
}
