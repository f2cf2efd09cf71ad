package io.docstream.search.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.PointGroup;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.SparseVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SearchIndex} on Qdrant over gRPC. One point per chunk (id: {@link PointIds}) with a named
 * cosine vector and a BM25 sparse vector ({@link Bm25Vectors}, IDF applied by Qdrant), plus one state
 * point per document that holds the BM25 vector of its whole text and its version, and stays as a tombstone
 * after a delete. Reads and writes go
 * through an alias to a collection named per model and build; the first call creates that collection and
 * alias when the alias is missing, or checks that the collection the alias names fits the model. The
 * gRPC channel connects lazily, so constructing the index needs no server.
 *
 * <p>The version guard reads the batch's state points, decides ({@link VersionGuard}) and then writes:
 * a read-check-write that is safe because Kafka partitioning gives every document exactly one writer.
 * Writes wait until Qdrant has applied them. Every call is bounded by the configured timeout; a failed
 * call surfaces as {@link UncheckedIOException}.
 */
public final class QdrantSearchIndex implements SearchIndex {

    private static final Logger log = LoggerFactory.getLogger(QdrantSearchIndex.class);

    private final QdrantClient client;
    private final QdrantSettings settings;
    private final String modelId;
    private final int dimensions;
    private final Duration timeout;
    private final String boundCollection;
    private final boolean ownsClient;
    private final Object startLock = new Object();
    private volatile String checkedCollection;
    private volatile boolean closed;

    /** An index on the server the settings name, for vectors of {@code modelId} with {@code dimensions}. */
    public QdrantSearchIndex(QdrantSettings settings, String modelId, int dimensions) {
        this(connect(settings), settings, modelId, dimensions);
    }

    QdrantSearchIndex(QdrantClient client, QdrantSettings settings, String modelId, int dimensions) {
        this(client, settings, modelId, dimensions, null, true);
    }

    private QdrantSearchIndex(QdrantClient client, QdrantSettings settings, String modelId, int dimensions,
            String boundCollection, boolean ownsClient) {
        this.boundCollection = boundCollection;
        this.ownsClient = ownsClient;
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be positive, was " + dimensions);
        }
        this.dimensions = dimensions;
        this.timeout = settings.timeout();
    }

    private static QdrantClient connect(QdrantSettings settings) {
        // No compatibility check: it would call the server while the application starts.
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient
                .newBuilder(settings.host(), settings.port(), settings.useTls(), false)
                .withTimeout(settings.timeout());
        if (!settings.apiKey().isBlank()) {
            grpc.withApiKey(settings.apiKey());
        }
        return new QdrantClient(grpc.build());
    }

    @Override
    public String name() {
        return "qdrant";
    }

    /** The model whose vectors this index writes and searches with. */
    public String modelId() {
        return modelId;
    }

    public QdrantSettings settings() {
        return settings;
    }

    @Override
    public List<String> write(List<IndexWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        ensureOpen();
        if (writes.isEmpty()) {
            return List.of();
        }
        QdrantWrites.validate(writes, modelId, dimensions);
        String alias = started();
        Map<String, Long> stored = QdrantWrites.storedVersions(
                await(client.retrieveAsync(QdrantWrites.stateLookup(alias, writes), timeout), "reading versions"));
        VersionGuard.Decision decision = VersionGuard.decide(writes, stored);
        if (!decision.apply().isEmpty()) {
            await(client.batchUpdateAsync(QdrantWrites.apply(alias, decision.apply()), timeout), "writing");
        }
        return decision.skipped();
    }

    @Override
    public List<IndexHit> searchDense(IndexQuery query, float[] vector) {
        Objects.requireNonNull(query, "query");
        checkQueryVector(vector);
        return query(QdrantQueries.dense(started(), query, vector), "dense search");
    }

    @Override
    public List<DocumentHit> searchKeyword(IndexQuery query, String text) {
        Objects.requireNonNull(query, "query");
        ensureOpen();
        Optional<SparseVector> terms = Bm25Vectors.query(text);
        if (terms.isEmpty()) {
            return List.of();
        }
        return QdrantQueries.documentHits(await(client.queryAsync(QdrantQueries.keyword(started(), query, terms.get()),
                timeout), "keyword search"));
    }

    /** One grouped BM25 query over the documents' chunks, then the first chunks of the documents it missed. */
    @Override
    public Map<String, IndexHit> bestChunks(IndexQuery query, Collection<String> documentIds, String text) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(documentIds, "documentIds");
        ensureOpen();
        Set<String> wanted = new LinkedHashSet<>(documentIds);
        if (wanted.isEmpty()) {
            return Map.of();
        }
        String collection = started();
        Map<String, IndexHit> best = new HashMap<>();
        Optional<SparseVector> terms = Bm25Vectors.query(text);
        if (terms.isPresent()) {
            for (PointGroup group : await(client.queryGroupsAsync(QdrantQueries.bestChunks(collection, query, wanted,
                    terms.get()), timeout), "picking snippet chunks")) {
                group.getHitsList().forEach(point -> {
                    IndexHit hit = QdrantQueries.hit(point.getPayloadMap(), point.getScore());
                    best.put(hit.documentId(), hit);
                });
            }
        }
        List<String> unmatched = wanted.stream().filter(id -> !best.containsKey(id)).toList();
        if (!unmatched.isEmpty()) {
            for (RetrievedPoint point : await(client.retrieveAsync(QdrantQueries.firstChunks(collection, query.tenant(),
                    unmatched), timeout), "reading first chunks")) {
                IndexHit hit = QdrantQueries.hit(point.getPayloadMap(), 0f);
                best.put(hit.documentId(), hit);
            }
        }
        Map<String, IndexHit> ordered = new LinkedHashMap<>();
        wanted.stream().filter(best::containsKey).forEach(id -> ordered.put(id, best.get(id)));
        return ordered;
    }

    @Override
    public long countDocuments(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Filter live = QdrantQueries.liveDocuments(tenant);
        return await(client.countAsync(started(), live, true, timeout), "counting documents");
    }

    /**
     * An index on the same connection that reads and writes {@code collection} directly instead of the alias,
     * for vectors of {@code model}; the collection must exist and fit the model. Closing it leaves the
     * connection open.
     */
    public QdrantSearchIndex boundTo(String collection, String model, int modelDimensions) {
        ensureOpen();
        Objects.requireNonNull(collection, "collection");
        return new QdrantSearchIndex(client, settings, model, modelDimensions, collection, false);
    }

    /** The model and dimensions a collection records, or empty when there is no such collection. */
    public Optional<CollectionModel> describe(String collection) {
        ensureOpen();
        if (!await(client.collectionExistsAsync(collection, timeout), "checking collection " + collection)) {
            return Optional.empty();
        }
        CollectionInfo info = await(client.getCollectionInfoAsync(collection, timeout), "reading collection "
                + collection);
        return Optional.of(QdrantCollections.model(info, collection));
    }

    /** Number of live documents of every tenant in the collection this index reads. */
    public long countAllDocuments() {
        return await(client.countAsync(started(), QdrantQueries.allLiveDocuments(), true, timeout),
                "counting documents");
    }

    /** What a collection's metadata and vector configuration say about its model. */
    public record CollectionModel(String model, int dimensions) {
    }

    /** The collection for a model and build under this index's alias, e.g. {@code docstream-chunks__m__1}. */
    public String collectionName(String model, String build) {
        return QdrantCollections.name(settings.alias(), model, build);
    }

    /**
     * Creates the collection for a model and build with its payload indexes, unless it exists; an existing
     * one must fit the model and dimensions and gets any payload index it lacks. Returns its name.
     */
    public String createCollection(String model, int modelDimensions, String build) {
        ensureOpen();
        String collection = collectionName(model, build);
        if (await(client.collectionExistsAsync(collection, timeout), "checking collection " + collection)) {
            prepareExisting(collection, model, modelDimensions);
            return collection;
        }
        try {
            await(client.createCollectionAsync(QdrantCollections.create(collection, model, modelDimensions, build,
                    settings.shardNumber(), settings.replicationFactor()),
                    timeout), "creating collection " + collection);
            log.info("Created Qdrant collection {} for model {} ({} dimensions)", collection, model, modelDimensions);
        }
        catch (UncheckedIOException e) {
            // Another instance may have created it in the meantime; then it only needs checking.
            if (!await(client.collectionExistsAsync(collection, timeout), "checking collection " + collection)) {
                throw e;
            }
        }
        prepareExisting(collection, model, modelDimensions);
        return collection;
    }

    /**
     * Points the alias at {@code collection} in one atomic change; searches move over at once. This index
     * checks the collection again before its next call.
     */
    public void pointAliasAt(String collection) {
        ensureOpen();
        Objects.requireNonNull(collection, "collection");
        boolean exists = aliasTarget().isPresent();
        await(client.updateAliasesAsync(QdrantCollections.pointAlias(settings.alias(), collection, exists), timeout),
                "pointing alias " + settings.alias() + " at " + collection);
        checkedCollection = null;
        log.info("Qdrant alias {} now points at {}", settings.alias(), collection);
    }

    /** The collection the alias points at, or empty while there is no alias. */
    public Optional<String> aliasTarget() {
        ensureOpen();
        return await(client.listAliasesAsync(timeout), "listing aliases").stream()
                .filter(alias -> alias.getAliasName().equals(settings.alias()))
                .map(AliasDescription::getCollectionName)
                .findFirst();
    }

    /** The collections of this alias's family ({@code <alias>__...}), sorted by name. */
    public List<String> collections() {
        ensureOpen();
        String prefix = settings.alias() + QdrantCollections.SEPARATOR;
        return await(client.listCollectionsAsync(timeout), "listing collections").stream()
                .filter(name -> name.startsWith(prefix))
                .sorted()
                .toList();
    }

    /** Drops a collection of this alias's family; the one the alias points at is refused. */
    public void dropCollection(String collection) {
        ensureOpen();
        Objects.requireNonNull(collection, "collection");
        if (!collection.startsWith(settings.alias() + QdrantCollections.SEPARATOR)) {
            throw new IllegalArgumentException("'" + collection + "' is not a collection of alias " + settings.alias());
        }
        if (aliasTarget().filter(collection::equals).isPresent()) {
            throw new IllegalStateException("Refusing to drop " + collection + ": alias " + settings.alias()
                    + " points at it");
        }
        await(client.deleteCollectionAsync(collection, timeout), "dropping collection " + collection);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "QdrantSearchIndex[" + settings + ", model=" + modelId
                + (boundCollection == null ? "" : ", collection=" + boundCollection) + "]";
    }

    /** Creates or checks the alias's collection on first use; returns the alias, which every call names. */
    private String started() {
        ensureOpen();
        if (boundCollection != null) {
            if (checkedCollection == null) {
                synchronized (startLock) {
                    if (checkedCollection == null) {
                        prepareExisting(boundCollection, modelId, dimensions);
                        checkedCollection = boundCollection;
                    }
                }
            }
            return boundCollection;
        }
        if (checkedCollection == null) {
            synchronized (startLock) {
                if (checkedCollection == null) {
                    checkedCollection = start();
                }
            }
        }
        return settings.alias();
    }

    private String start() {
        Optional<String> target = aliasTarget();
        if (target.isPresent()) {
            prepareExisting(target.get(), modelId, dimensions);
            return target.get();
        }
        String collection = createCollection(modelId, dimensions, settings.build());
        try {
            pointAliasAt(collection);
        }
        catch (UncheckedIOException e) {
            // Another instance may have created the alias first; then its collection must fit.
            String raced = aliasTarget().orElseThrow(() -> e);
            prepareExisting(raced, modelId, dimensions);
            return raced;
        }
        return collection;
    }

    private void prepareExisting(String collection, String model, int modelDimensions) {
        CollectionInfo info = await(client.getCollectionInfoAsync(collection, timeout),
                "reading collection " + collection);
        QdrantCollections.verify(info, collection, model, modelDimensions);
        Optional<UpdateCollection> missingVectors = QdrantCollections.missingSparseVectors(info, collection);
        if (missingVectors.isPresent()) {
            // Qdrant 1.18 adds a named vector to a live collection; documents get it when next written (replay).
            await(client.updateCollectionAsync(missingVectors.get(), timeout), "adding the whole-document BM25 vector"
                    + " to " + collection);
            log.warn("Collection {} predates document-level keyword retrieval; keyword search misses its documents "
                    + "until they are written again: run './docstream replay' (or a reindex)", collection);
        }
        for (CreateFieldIndexCollection index : QdrantCollections.missingPayloadIndexes(info, collection,
                settings.indexedMetadataKeys())) {
            await(client.createPayloadIndexAsync(index, timeout), "indexing payload field " + index.getFieldName());
        }
    }

    private List<IndexHit> query(QueryPoints request, String what) {
        return QdrantQueries.hits(await(client.queryAsync(request, timeout), what));
    }

    private void checkQueryVector(float[] vector) {
        Objects.requireNonNull(vector, "vector");
        ensureOpen();
        if (vector.length != dimensions) {
            throw new IllegalArgumentException("Query vector has " + vector.length + " dimensions, the index holds "
                    + dimensions);
        }
    }

    private <T> T await(ListenableFuture<T> call, String what) {
        try {
            return call.get();
        }
        catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + what + " in Qdrant", e);
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new UncheckedIOException(new IOException("Qdrant failed " + what + " (alias " + settings.alias()
                    + " at " + settings.host() + ":" + settings.port() + "): " + cause.getMessage(), cause));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The Qdrant index is closed");
        }
    }
}
