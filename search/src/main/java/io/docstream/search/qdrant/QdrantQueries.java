package io.docstream.search.qdrant;

import static io.docstream.search.qdrant.PayloadKeys.CHUNK_COUNT;
import static io.docstream.search.qdrant.PayloadKeys.CHUNK_INDEX;
import static io.docstream.search.qdrant.PayloadKeys.DELETED;
import static io.docstream.search.qdrant.PayloadKeys.DENSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.DOCUMENT_ID;
import static io.docstream.search.qdrant.PayloadKeys.DOCUMENT_SPARSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.KIND;
import static io.docstream.search.qdrant.PayloadKeys.KIND_CHUNK;
import static io.docstream.search.qdrant.PayloadKeys.KIND_DOCUMENT;
import static io.docstream.search.qdrant.PayloadKeys.SPARSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.TENANT;
import static io.docstream.search.qdrant.PayloadKeys.TEXT;
import static io.docstream.search.qdrant.PayloadKeys.TITLE;
import static io.docstream.search.qdrant.PayloadKeys.VERSION;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.PointIdFactory.id;

import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPointGroups;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The read side as Qdrant requests: filters, the dense, BM25 and best-chunk queries, and their hits. */
final class QdrantQueries {

    private static final WithPayloadSelector HIT_FIELDS = WithPayloadSelectorFactory.include(
            List.of(DOCUMENT_ID, CHUNK_INDEX, CHUNK_COUNT, VERSION, TITLE, TEXT));
    private static final WithPayloadSelector DOCUMENT_HIT_FIELDS = WithPayloadSelectorFactory.include(
            List.of(DOCUMENT_ID, VERSION, TITLE));

    private QdrantQueries() {
    }

    /** Chunks of the query's tenant that carry every requested metadata value. */
    static Filter chunks(IndexQuery query) {
        return filter(KIND_CHUNK, query).build();
    }

    /** Live documents (state points) of the query's tenant that carry every requested metadata value. */
    static Filter documents(IndexQuery query) {
        return filter(KIND_DOCUMENT, query).addMust(match(DELETED, false)).build();
    }

    private static Filter.Builder filter(String kind, IndexQuery query) {
        Filter.Builder filter = Filter.newBuilder()
                .addMust(matchKeyword(TENANT, query.tenant()))
                .addMust(matchKeyword(KIND, kind));
        new TreeMap<>(query.filters()).forEach((key, value) ->
                filter.addMust(matchKeyword(PayloadKeys.metadataPath(key), value)));
        if (!query.documentIds().isEmpty()) {
            filter.addMust(matchKeywords(DOCUMENT_ID, List.copyOf(new TreeSet<>(query.documentIds()))));
        }
        return filter;
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

    /** Documents by the BM25 vector of their whole text. */
    static QueryPoints keyword(String collection, IndexQuery query, SparseVector terms) {
        return QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(sparseQuery(terms))
                .setUsing(DOCUMENT_SPARSE_VECTOR)
                .setFilter(documents(query))
                .setLimit(query.k())
                .setWithPayload(DOCUMENT_HIT_FIELDS)
                .build();
    }

    /**
     * The best chunk by BM25 of each of the documents: chunks of the tenant and of those documents, grouped by
     * document, one hit per group. Documents with no chunk holding a query term form no group.
     */
    static QueryPointGroups bestChunks(String collection, IndexQuery query, Collection<String> documentIds,
            SparseVector terms) {
        return QueryPointGroups.newBuilder()
                .setCollectionName(collection)
                .setQuery(sparseQuery(terms))
                .setUsing(SPARSE_VECTOR)
                .setFilter(Filter.newBuilder()
                        .addMust(matchKeyword(TENANT, query.tenant()))
                        .addMust(matchKeyword(KIND, KIND_CHUNK))
                        .addMust(matchKeywords(DOCUMENT_ID, List.copyOf(documentIds))))
                .setGroupBy(DOCUMENT_ID)
                .setGroupSize(1)
                .setLimit(documentIds.size())
                .setWithPayload(HIT_FIELDS)
                .build();
    }

    /** The first chunk of each of the documents, by point id. */
    static GetPoints firstChunks(String collection, String tenant, Collection<String> documentIds) {
        return GetPoints.newBuilder()
                .setCollectionName(collection)
                .addAllIds(documentIds.stream().map(id -> id(PointIds.chunk(tenant, id, 0))).toList())
                .setWithPayload(HIT_FIELDS)
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false))
                .build();
    }

    static List<DocumentHit> documentHits(List<ScoredPoint> points) {
        return points.stream().map(point -> {
            Map<String, Value> payload = point.getPayloadMap();
            return new DocumentHit(payload.get(DOCUMENT_ID).getStringValue(), payload.get(VERSION).getIntegerValue(),
                    payload.containsKey(TITLE) ? payload.get(TITLE).getStringValue() : "", point.getScore());
        }).toList();
    }

    static List<IndexHit> hits(List<ScoredPoint> points) {
        return points.stream().map(point -> hit(point.getPayloadMap(), point.getScore())).toList();
    }

    /** A chunk hit from a chunk point's payload; chunks written before chunk counts were stored count as one. */
    static IndexHit hit(Map<String, Value> payload, float score) {
        return new IndexHit(payload.get(DOCUMENT_ID).getStringValue(), (int) payload.get(CHUNK_INDEX).getIntegerValue(),
                payload.get(VERSION).getIntegerValue(), payload.get(TITLE).getStringValue(),
                payload.get(TEXT).getStringValue(), score,
                payload.containsKey(CHUNK_COUNT) ? (int) payload.get(CHUNK_COUNT).getIntegerValue() : 1);
    }

    private static Query sparseQuery(SparseVector terms) {
        return QueryFactory.nearest(VectorInput.newBuilder().setSparse(terms).build());
    }
}
