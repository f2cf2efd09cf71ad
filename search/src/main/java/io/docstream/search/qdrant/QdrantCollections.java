package io.docstream.search.qdrant;

import static io.docstream.search.qdrant.PayloadKeys.DENSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.DOCUMENT_ID;
import static io.docstream.search.qdrant.PayloadKeys.DOCUMENT_SPARSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.KIND;
import static io.docstream.search.qdrant.PayloadKeys.SPARSE_VECTOR;
import static io.docstream.search.qdrant.PayloadKeys.TENANT;
import static io.qdrant.client.ValueFactory.value;

import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.KeywordIndexParams;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a docstream collection is laid out: its name ({@code <alias>__<model>__<build>}), the creation
 * request (a cosine dense vector and IDF-modified sparse BM25 vectors for chunks and whole documents, the
 * model recorded in the collection metadata), the payload indexes filters rely on, the atomic alias switch, and the check that
 * an existing collection fits the model.
 */
final class QdrantCollections {

    static final String SEPARATOR = "__";
    static final String METADATA_MODEL = "model";
    static final String METADATA_DIMENSIONS = "dimensions";
    static final String METADATA_BUILD = "build";

    private QdrantCollections() {
    }

    /** The collection of a model and build; characters Qdrant does not take in names become {@code -}. */
    static String name(String alias, String modelId, String build) {
        return alias + SEPARATOR + safe(modelId) + SEPARATOR + safe(build);
    }

    static CreateCollection create(String collection, String modelId, int dimensions, String build) {
        return create(collection, modelId, dimensions, build, 0, 0);
    }

    /** As above, with a shard count and replication factor for a Qdrant cluster (0: Qdrant's defaults). */
    static CreateCollection create(String collection, String modelId, int dimensions, String build, int shardNumber,
            int replicationFactor) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("A collection needs at least one dimension, got " + dimensions);
        }
        CreateCollection.Builder request = CreateCollection.newBuilder();
        if (shardNumber > 0) {
            request.setShardNumber(shardNumber);
        }
        if (replicationFactor > 0) {
            request.setReplicationFactor(replicationFactor);
        }
        return request
                .setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap(DENSE_VECTOR, VectorParams.newBuilder().setSize(dimensions)
                                .setDistance(Distance.Cosine).build())))
                .setSparseVectorsConfig(sparseVectors())
                .putMetadata(METADATA_MODEL, value(modelId))
                .putMetadata(METADATA_DIMENSIONS, value(dimensions))
                .putMetadata(METADATA_BUILD, value(build))
                .build();
    }

    /** The chunk and the whole-document BM25 vectors, both with Qdrant's IDF modifier. */
    private static SparseVectorConfig sparseVectors() {
        SparseVectorParams bm25 = SparseVectorParams.newBuilder().setModifier(Modifier.Idf).build();
        return SparseVectorConfig.newBuilder().putMap(SPARSE_VECTOR, bm25).putMap(DOCUMENT_SPARSE_VECTOR, bm25).build();
    }

    /**
     * The update that adds the whole-document BM25 vector to a collection created before it existed, or empty
     * when the collection has it.
     */
    static Optional<UpdateCollection> missingSparseVectors(CollectionInfo info, String collection) {
        if (info.getConfig().getParams().getSparseVectorsConfig().getMapMap().containsKey(DOCUMENT_SPARSE_VECTOR)) {
            return Optional.empty();
        }
        return Optional.of(UpdateCollection.newBuilder()
                .setCollectionName(collection)
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder().putMap(DOCUMENT_SPARSE_VECTOR,
                        SparseVectorParams.newBuilder().setModifier(Modifier.Idf).build()))
                .build());
    }

    /**
     * Keyword payload indexes: {@code tenant} as the tenant key ({@code is_tenant}, so Qdrant keeps each
     * tenant's points together), {@code kind} and {@code document_id} for deletes and counts, and the
     * metadata keys that filters use.
     */
    static List<CreateFieldIndexCollection> payloadIndexes(String collection, List<String> metadataKeys) {
        List<CreateFieldIndexCollection> indexes = new ArrayList<>();
        indexes.add(keywordIndex(collection, TENANT, true));
        indexes.add(keywordIndex(collection, KIND, false));
        indexes.add(keywordIndex(collection, DOCUMENT_ID, false));
        Set<String> paths = new LinkedHashSet<>();
        metadataKeys.forEach(key -> paths.add(PayloadKeys.metadataPath(key)));
        paths.forEach(path -> indexes.add(keywordIndex(collection, path, false)));
        return List.copyOf(indexes);
    }

    /** The indexes {@link #payloadIndexes} asks for that the collection does not have yet. */
    static List<CreateFieldIndexCollection> missingPayloadIndexes(CollectionInfo info, String collection,
            List<String> metadataKeys) {
        return payloadIndexes(collection, metadataKeys).stream()
                .filter(index -> !info.containsPayloadSchema(index.getFieldName()))
                .toList();
    }

    /** Points the alias at the collection in one atomic change, replacing what it pointed at before. */
    static List<AliasOperations> pointAlias(String alias, String collection, boolean aliasExists) {
        List<AliasOperations> operations = new ArrayList<>();
        if (aliasExists) {
            operations.add(AliasOperations.newBuilder()
                    .setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias)).build());
        }
        operations.add(AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setCollectionName(collection).setAliasName(alias)).build());
        return List.copyOf(operations);
    }

    /**
     * Fails unless the collection has the dense vector with the model's dimensions, the IDF-modified BM25
     * vector, and (when it records one) the same model.
     */
    static void verify(CollectionInfo info, String collection, String modelId, int dimensions) {
        CollectionParams params = info.getConfig().getParams();
        VectorParams dense = params.getVectorsConfig().getParamsMap().getMapMap().get(DENSE_VECTOR);
        SparseVectorParams sparse = params.getSparseVectorsConfig().getMapMap().get(SPARSE_VECTOR);
        if (dense == null || sparse == null) {
            throw new IllegalStateException("Collection '" + collection + "' lacks the '" + DENSE_VECTOR + "' or '"
                    + SPARSE_VECTOR + "' vector; it was not created by docstream");
        }
        Value model = info.getConfig().getMetadataMap().get(METADATA_MODEL);
        if (model != null && !model.getStringValue().equals(modelId)) {
            throw new IllegalStateException("The index holds vectors of model '" + model.getStringValue()
                    + "' (collection '" + collection + "'); refusing to use it with '" + modelId
                    + "' (rebuild the index to switch models)");
        }
        if (dense.getSize() != dimensions) {
            throw new IllegalStateException("Collection '" + collection + "' holds " + dense.getSize()
                    + "-dimensional vectors; model '" + modelId + "' makes " + dimensions);
        }
        if (dense.getDistance() != Distance.Cosine || sparse.getModifier() != Modifier.Idf) {
            throw new IllegalStateException("Collection '" + collection + "' must use cosine distance and the IDF "
                    + "modifier, it uses " + dense.getDistance() + " and " + sparse.getModifier());
        }
    }

    /** The model a collection records (empty when it records none) and the size of its dense vector. */
    static QdrantSearchIndex.CollectionModel model(CollectionInfo info, String collection) {
        VectorParams dense = info.getConfig().getParams().getVectorsConfig().getParamsMap().getMapMap()
                .get(DENSE_VECTOR);
        if (dense == null) {
            throw new IllegalStateException("Collection '" + collection + "' lacks the '" + DENSE_VECTOR
                    + "' vector; it was not created by docstream");
        }
        Value model = info.getConfig().getMetadataMap().get(METADATA_MODEL);
        return new QdrantSearchIndex.CollectionModel(model == null ? "" : model.getStringValue(),
                (int) dense.getSize());
    }

    private static CreateFieldIndexCollection keywordIndex(String collection, String field, boolean tenant) {
        KeywordIndexParams.Builder keyword = KeywordIndexParams.newBuilder();
        if (tenant) {
            keyword.setIsTenant(true);
        }
        return CreateFieldIndexCollection.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .setFieldName(field)
                .setFieldType(FieldType.FieldTypeKeyword)
                .setFieldIndexParams(PayloadIndexParams.newBuilder().setKeywordIndexParams(keyword))
                .build();
    }

    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
