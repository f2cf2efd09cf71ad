package io.docstream.search.qdrant;

import static io.docstream.search.qdrant.PayloadKeys.CHUNK_COUNT;
import static io.docstream.search.qdrant.PayloadKeys.CHUNK_HASH;
import static io.docstream.search.qdrant.PayloadKeys.CHUNK_INDEX;
import static io.docstream.search.qdrant.PayloadKeys.DELETED;
import static io.docstream.search.qdrant.PayloadKeys.DENSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.DOCUMENT_ID;
import static io.docstream.search.qdrant.PayloadKeys.DOCUMENT_SPARSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.KIND;
import static io.docstream.search.qdrant.PayloadKeys.KIND_CHUNK;
import static io.docstream.search.qdrant.PayloadKeys.KIND_DOCUMENT;
import static io.docstream.search.qdrant.PayloadKeys.METADATA;
import static io.docstream.search.qdrant.PayloadKeys.MODEL;
import static io.docstream.search.qdrant.PayloadKeys.SPARSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.TENANT;
import static io.docstream.search.qdrant.PayloadKeys.TEXT;
import static io.docstream.search.qdrant.PayloadKeys.TITLE;
import static io.docstream.search.qdrant.PayloadKeys.VERSION;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;

import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.NamedVectors;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** The write side as Qdrant requests: batch validation, state lookups and the points of a batch. */
final class QdrantWrites {

    private QdrantWrites() {
    }

    /**
     * Refuses a batch that would mix embedding models or dimensions in the collection, before anything
     * is sent, so a refused batch changes nothing.
     */
    static void validate(List<IndexWrite> writes, String modelId, int dimensions) {
        for (IndexWrite write : writes) {
            if (!(write instanceof IndexWrite.Replace replace)) {
                continue;
            }
            if (!modelId.equals(replace.modelId())) {
                throw new IllegalStateException("The index holds vectors of model '" + modelId + "'; refusing "
                        + replace.documentKey() + " embedded with '" + replace.modelId()
                        + "' (rebuild the index to switch models)");
            }
            for (IndexedChunk chunk : replace.chunks()) {
                if (chunk.vector().length != dimensions) {
                    throw new IllegalArgumentException("Chunk " + chunk.chunkIndex() + " of " + replace.documentKey()
                            + " has " + chunk.vector().length + " dimensions, expected " + dimensions);
                }
            }
        }
    }

    /** Reads the state points of the batch's documents: their version only. */
    static GetPoints stateLookup(String collection, List<IndexWrite> writes) {
        Set<String> keys = new LinkedHashSet<>();
        writes.forEach(write -> keys.add(write.documentKey()));
        return GetPoints.newBuilder()
                .setCollectionName(collection)
                .addAllIds(keys.stream().map(key -> id(PointIds.document(key))).toList())
                .setWithPayload(WithPayloadSelectorFactory.include(List.of(TENANT, DOCUMENT_ID, VERSION)))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false))
                .build();
    }

    /** The version held per document key, from the state points {@link #stateLookup} found. */
    static Map<String, Long> storedVersions(List<RetrievedPoint> states) {
        Map<String, Long> versions = new HashMap<>();
        for (RetrievedPoint state : states) {
            Map<String, Value> payload = state.getPayloadMap();
            String key = payload.get(TENANT).getStringValue() + "/" + payload.get(DOCUMENT_ID).getStringValue();
            versions.merge(key, payload.get(VERSION).getIntegerValue(), Math::max);
        }
        return versions;
    }

    /**
     * One batch that applies the accepted writes (at most one per document) and waits until Qdrant has
     * applied it: the new chunk and state points first, then the removal of chunks the new version no
     * longer has, so a concurrent search never sees a document without chunks in between.
     */
    static UpdateBatchPoints apply(String collection, List<IndexWrite> writes) {
        List<PointStruct> points = new ArrayList<>();
        List<PointsUpdateOperation> removals = new ArrayList<>();
        for (IndexWrite write : writes) {
            int keptChunks = 0;
            if (write instanceof IndexWrite.Replace replace) {
                replace.chunks().forEach(chunk -> points.add(chunkPoint(replace, chunk)));
                keptChunks = replace.chunks().stream().mapToInt(IndexedChunk::chunkIndex).max().orElse(-1) + 1;
            }
            points.add(statePoint(write));
            removals.add(PointsUpdateOperation.newBuilder()
                    .setDeletePoints(PointsUpdateOperation.DeletePoints.newBuilder()
                            .setPoints(PointsSelector.newBuilder().setFilter(chunksFrom(write, keptChunks))))
                    .build());
        }
        return UpdateBatchPoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .addOperations(PointsUpdateOperation.newBuilder()
                        .setUpsert(PointsUpdateOperation.PointStructList.newBuilder().addAllPoints(points)))
                .addAllOperations(removals)
                .build();
    }

    static PointStruct chunkPoint(IndexWrite.Replace replace, IndexedChunk chunk) {
        UUID id = PointIds.chunk(replace.tenant(), replace.documentId(), chunk.chunkIndex());
        Map<String, Value> payload = new LinkedHashMap<>();
        payload.put(KIND, value(KIND_CHUNK));
        payload.put(TENANT, value(replace.tenant()));
        payload.put(DOCUMENT_ID, value(replace.documentId()));
        payload.put(CHUNK_INDEX, value(chunk.chunkIndex()));
        payload.put(CHUNK_HASH, value(chunk.chunkHash()));
        payload.put(CHUNK_COUNT, value(replace.chunks().size()));
        payload.put(VERSION, value(replace.version()));
        payload.put(TITLE, value(replace.title()));
        payload.put(TEXT, value(chunk.text()));
        payload.put(MODEL, value(replace.modelId()));
        payload.put(METADATA, metadata(replace));
        NamedVectors.Builder vectors = NamedVectors.newBuilder().putVectors(DENSE_VECTOR, VectorFactory.vector(chunk.vector()));
        SparseVector terms = Bm25Vectors.chunk(replace.title(), chunk.text());
        if (terms.getIndicesCount() > 0) {
            vectors.putVectors(SPARSE_VECTOR, Vector.newBuilder().setSparse(terms).build());
        }
        return PointStruct.newBuilder()
                .setId(id(id))
                .putAllPayload(payload)
                .setVectors(Vectors.newBuilder().setVectors(vectors))
                .build();
    }

    /**
     * The document's version guard and, while it lives, its whole-text BM25 vector with the title and metadata
     * keyword hits and filters need. A tombstone has no vectors, so searches never find it.
     */
    static PointStruct statePoint(IndexWrite write) {
        Map<String, Value> payload = new LinkedHashMap<>();
        payload.put(KIND, value(KIND_DOCUMENT));
        payload.put(TENANT, value(write.tenant()));
        payload.put(DOCUMENT_ID, value(write.documentId()));
        payload.put(VERSION, value(write.version()));
        payload.put(DELETED, value(write instanceof IndexWrite.Remove));
        NamedVectors.Builder vectors = NamedVectors.newBuilder();
        if (write instanceof IndexWrite.Replace replace) {
            payload.put(MODEL, value(replace.modelId()));
            payload.put(TITLE, value(replace.title()));
            payload.put(METADATA, metadata(replace));
            SparseVector terms = Bm25Vectors.wholeDocument(replace.title(), replace.body());
            if (terms.getIndicesCount() > 0) {
                vectors.putVectors(DOCUMENT_SPARSE_VECTOR, Vector.newBuilder().setSparse(terms).build());
            }
        }
        return PointStruct.newBuilder()
                .setId(id(PointIds.document(write.documentKey())))
                .putAllPayload(payload)
                .setVectors(Vectors.newBuilder().setVectors(vectors))
                .build();
    }

    private static Value metadata(IndexWrite.Replace replace) {
        Map<String, Value> metadata = new TreeMap<>();
        replace.metadata().forEach((key, metadataValue) -> metadata.put(key, value(metadataValue)));
        return value(metadata);
    }

    /** The document's chunks with an index of at least {@code firstIndex}. */
    static Filter chunksFrom(IndexWrite write, int firstIndex) {
        Filter.Builder filter = QdrantQueries.documentChunks(write.tenant(), write.documentId()).toBuilder();
        if (firstIndex > 0) {
            filter.addMust(range(CHUNK_INDEX, Range.newBuilder().setGte(firstIndex).build()));
        }
        return filter.build();
    }
}
