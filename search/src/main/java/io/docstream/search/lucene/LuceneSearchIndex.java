package io.docstream.search.lucene;

import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.docstream.search.SearchIndex;
import io.docstream.search.TextAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.PerFieldSimilarityWrapper;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link SearchIndex}: one Lucene document per chunk holding its HNSW vector (cosine)
 * and its text, plus one record per document that holds the document's whole text for BM25, carries the
 * version guard and survives a delete as a tombstone, so a late older write stays out. Writes are serialised and committed once per
 * call; searches run concurrently on near-real-time searchers refreshed after every write. The model
 * id of the stored vectors is kept in the commit user data and a write with another model is refused.
 * {@link #openReadOnly(Path)} opens a follower of an index another process writes: it searches the last
 * commit it has seen, takes no write lock, sees newer commits after {@link #refresh()} and refuses writes.
 */
public final class LuceneSearchIndex implements SearchIndex {

    static final String KIND = "kind";
    static final String KIND_CHUNK = "chunk";
    static final String KIND_DOCUMENT = "document";
    static final String TENANT = "tenant";
    static final String DOC_KEY = "docKey";
    static final String DOCUMENT_ID = "documentId";
    static final String CHUNK_INDEX = "chunkIndex";
    static final String CHUNK_HASH = "chunkHash";
    static final String VERSION = "version";
    static final String DELETED = "deleted";
    static final String TITLE = "title";
    static final String TEXT = "text";
    /** The whole document (title and body) on the document record, for document-level BM25. */
    static final String CONTENT = "content";
    static final String CHUNK_COUNT = "chunkCount";
    static final String VECTOR = "vector";
    static final String MODEL_ID = "modelId";
    static final String META_PREFIX = "meta.";

    /** Indexing buffer: a deferred replay flushes segments of about this size rather than one per write. */
    static final double RAM_BUFFER_MB = 64;

    /** Deferred writes the searchers may lag behind before they are refreshed anyway. */
    static final int MAX_UNREFRESHED = 20_000;

    /** Keeps the keyword query (one clause per term plus filters) under Lucene's clause limit. */
    static final int MAX_QUERY_TERMS = 256;

    private static final String COMMIT_MODEL_ID = "docstream.modelId";
    /** Commit user data keys of the source positions the commit covers: the prefix and then the partition. */
    private static final String COMMIT_POSITION = "docstream.position.";

    private static final Logger log = LoggerFactory.getLogger(LuceneSearchIndex.class);

    /** Whole documents get BM25 with stronger length normalisation than chunks (see {@link TextAnalysis}). */
    private static final Similarity SIMILARITY = new PerFieldSimilarityWrapper() {
        private final Similarity documents = new BM25Similarity(TextAnalysis.BM25_K1, TextAnalysis.DOCUMENT_BM25_B);
        private final Similarity chunks = new BM25Similarity(TextAnalysis.BM25_K1, TextAnalysis.CHUNK_BM25_B);

        @Override
        public Similarity get(String field) {
            return CONTENT.equals(field) ? documents : chunks;
        }
    };

    private static final SearcherFactory SEARCHERS = new SearcherFactory() {
        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(SIMILARITY);
            return searcher;
        }
    };

    private final Directory directory;
    private final boolean ownsDirectory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final boolean readOnly;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile String modelId;
    private volatile boolean closed;
    /** Source positions of every write applied so far, committed or not; guarded by the write lock. */
    private final Map<String, Long> positions = new HashMap<>();
    /** Whether writes were applied since the last commit; guarded by the write lock. */
    private boolean uncommitted;
    /**
     * Versions written since the searchers were last refreshed, which the version guard cannot read from them yet
     * (as Elasticsearch's live version map); empty while every write refreshes. Guarded by the write lock.
     */
    private final Map<String, Long> unrefreshedVersions = new HashMap<>();
    private volatile Map<String, Long> durablePositions = Map.of();

    /** Opens (or creates) the index stored in {@code directory} on disk. */
    public LuceneSearchIndex(Path directory) {
        this(openDirectory(directory), true);
    }

    /**
     * Opens (or creates) the index in {@code directory} for vectors of {@code modelId}: a new or empty index
     * records the model at once, an index that holds another model's vectors is refused.
     */
    public LuceneSearchIndex(Path directory, String modelId) {
        this(directory);
        Objects.requireNonNull(modelId, "modelId");
        if (this.modelId != null && !this.modelId.equals(modelId)) {
            String held = this.modelId;
            close();
            throw new IllegalStateException("The index in " + directory + " holds vectors of model '" + held
                    + "'; refusing to use it with '" + modelId + "' (rebuild the index to switch models)");
        }
        if (this.modelId == null) {
            writeLock.lock();
            try {
                this.modelId = modelId;
                commitNow();
            }
            catch (IOException e) {
                throw new UncheckedIOException("Recording the model of the Lucene index failed", e);
            }
            finally {
                writeLock.unlock();
            }
        }
    }

    /** Opens (or creates) an index in a directory the caller keeps and closes. */
    public LuceneSearchIndex(Directory directory) {
        this(directory, false);
    }

    private LuceneSearchIndex(Directory directory, boolean ownsDirectory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.ownsDirectory = ownsDirectory;
        this.readOnly = false;
        IndexWriter openedWriter = null;
        try {
            if (DirectoryReader.indexExists(directory)) {
                Map<String, String> committed = SegmentInfos.readLatestCommit(directory).getUserData();
                this.modelId = committed.get(COMMIT_MODEL_ID);
                this.positions.putAll(positionsIn(committed));
            }
            // A commit never waits for merges of the segments it flushes: a flush that commits is on the
            // indexer's path, the merges are not.
            IndexWriterConfig config = new IndexWriterConfig(TextAnalysis.analyzer())
                    .setSimilarity(SIMILARITY)
                    .setMaxFullFlushMergeWaitMillis(0)
                    .setRAMBufferSizeMB(RAM_BUFFER_MB)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            openedWriter = new IndexWriter(directory, config);
            this.writer = openedWriter;
            // An initial commit makes a new directory a valid (empty) index for later readers.
            commitNow();
            this.searchers = new SearcherManager(openedWriter, SEARCHERS);
            warnAboutDocumentsWithoutText();
        }
        catch (LockObtainFailedException e) {
            closeQuietly(openedWriter);
            throw new IllegalStateException(SECOND_WRITER.formatted(directory), e);
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(openedWriter);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot open the Lucene index in " + directory, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Why a second writer of one index directory cannot start, and what to do instead. */
    static final String SECOND_WRITER = "Another indexer already writes the Lucene index in %s (its write.lock is"
            + " held): the embedded Lucene index takes exactly one writer. Run one indexer against it, or scale the"
            + " indexer out on Qdrant (docstream.index.type=qdrant), whose collections take writes from every"
            + " instance; see docs/scaling.md.";

    /** A follower of the committed index in {@code directory}: no write lock, so the writer may be another process. */
    private LuceneSearchIndex(Directory directory, SearcherManager searchers) throws IOException {
        this.directory = directory;
        this.ownsDirectory = true;
        this.readOnly = true;
        this.writer = null;
        this.searchers = searchers;
        this.modelId = committedModel();
    }

    /**
     * Opens the index another process writes in {@code directory} read-only, at its latest commit. Fails when
     * the directory holds no committed index yet.
     */
    public static LuceneSearchIndex openReadOnly(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Directory opened = null;
        try {
            opened = FSDirectory.open(directory);
            if (!DirectoryReader.indexExists(opened)) {
                throw new IllegalStateException("There is no committed Lucene index in " + directory + " yet");
            }
            return new LuceneSearchIndex(opened, new SearcherManager(opened, SEARCHERS));
        }
        catch (IOException | RuntimeException e) {
            if (opened != null) {
                try {
                    opened.close();
                }
                catch (IOException | RuntimeException ignored) {
                    // the open failure is the error worth reporting
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot open the Lucene index in " + directory + " read-only", io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Makes commits another process made since the last refresh visible to searches; returns whether there
     * were any. An index that writes itself is always current, so this does nothing there.
     */
    public boolean refresh() {
        if (!readOnly) {
            return false;
        }
        ensureOpen();
        try {
            boolean changed = searchers.maybeRefresh();
            if (changed) {
                String committed = committedModel();
                if (committed != null) {
                    modelId = committed;
                }
            }
            return changed;
        }
        catch (AlreadyClosedException e) {
            throw new IllegalStateException("The Lucene index is closed", e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Refreshing the read-only Lucene index in " + directory + " failed", e);
        }
    }

    /** The model whose vectors the index holds, or {@code null} while it is empty. */
    public String modelId() {
        return modelId;
    }

    @Override
    public List<String> write(List<IndexWrite> writes) {
        return write(writes, Map.of(), false);
    }

    /**
     * Without {@code deferCommit} the writes are committed and searchable (near real time) when this returns. With
     * it, both wait: the commit, which makes them durable and tells a read-only follower, and the refresh of this
     * process's searchers, until a later write without it, {@link #commit()}, or {@value #MAX_UNREFRESHED} writes
     * (a refresh flushes a segment, and a segment per write is what makes a replay merge without end). The positions
     * go into the commit's user data.
     */
    @Override
    public List<String> write(List<IndexWrite> writes, Map<String, Long> positions, boolean deferCommit) {
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(positions, "positions");
        if (readOnly) {
            throw new UnsupportedOperationException("The Lucene index in " + directory + " is open read-only in this "
                    + "process (docstream.index.lucene.read-only=true): the indexer writes it, searches only follow");
        }
        if (writes.isEmpty() && positions.isEmpty()) {
            ensureOpen();
            return List.of();
        }
        writeLock.lock();
        try {
            ensureOpen();
            String batchModel = checkModelAndDimensions(writes);
            List<String> skipped = applyNewerVersions(writes);
            if (batchModel != null) {
                modelId = batchModel;
            }
            positions.forEach((partition, position) -> this.positions.merge(partition, position, Math::max));
            uncommitted = true;
            if (!deferCommit) {
                commitNow();
            }
            return List.copyOf(skipped);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Writing to the Lucene index failed", e);
        }
        finally {
            try {
                if (!closed && (!deferCommit || unrefreshedVersions.size() >= MAX_UNREFRESHED)) {
                    refreshSearchers();
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("Refreshing the Lucene searcher failed", e);
            }
            finally {
                writeLock.unlock();
            }
        }
    }

    @Override
    public void commit() {
        if (readOnly) {
            return;
        }
        writeLock.lock();
        try {
            ensureOpen();
            if (uncommitted) {
                commitNow();
            }
            refreshSearchers();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Committing the Lucene index failed", e);
        }
        finally {
            writeLock.unlock();
        }
    }

    @Override
    public Map<String, Long> durablePositions() {
        return durablePositions;
    }

    /** Makes every write searchable; under the write lock. */
    private void refreshSearchers() throws IOException {
        searchers.maybeRefreshBlocking();
        unrefreshedVersions.clear();
    }

    /** Commits everything applied, with the model and the positions in the user data; under the write lock. */
    private void commitNow() throws IOException {
        Map<String, String> data = new HashMap<>();
        if (modelId != null) {
            data.put(COMMIT_MODEL_ID, modelId);
        }
        positions.forEach((partition, position) -> data.put(COMMIT_POSITION + partition, Long.toString(position)));
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
        uncommitted = false;
        durablePositions = Map.copyOf(positions);
    }

    private static Map<String, Long> positionsIn(Map<String, String> commitData) {
        Map<String, Long> found = new HashMap<>();
        commitData.forEach((key, value) -> {
            if (key.startsWith(COMMIT_POSITION)) {
                found.put(key.substring(COMMIT_POSITION.length()), Long.parseLong(value));
            }
        });
        return found;
    }

    @Override
    public List<IndexHit> searchDense(IndexQuery query, float[] vector) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(vector, "vector");
        return search(searcher -> {
            FieldInfo vectors = FieldInfos.getMergedFieldInfos(searcher.getIndexReader()).fieldInfo(VECTOR);
            if (vectors == null) {
                return List.of();
            }
            if (vectors.getVectorDimension() != vector.length) {
                throw new IllegalArgumentException("Query vector has " + vector.length
                        + " dimensions, the index holds " + vectors.getVectorDimension());
            }
            Query knn = new KnnFloatVectorQuery(VECTOR, vector, query.k(), chunkFilter(query));
            // Lucene scores cosine as (1 + cos) / 2; hits report the cosine itself.
            return hits(searcher, searcher.search(knn, query.k()), score -> 2 * score - 1);
        });
    }

    @Override
    public List<DocumentHit> searchKeyword(IndexQuery query, String text) {
        Objects.requireNonNull(query, "query");
        Query anyTerm = anyTerm(CONTENT, text);
        if (anyTerm == null) {
            return List.of();
        }
        Query keyword = new BooleanQuery.Builder()
                .add(anyTerm, Occur.MUST)
                .add(documentFilter(query), Occur.FILTER)
                .build();
        return search(searcher -> {
            StoredFields storedFields = searcher.storedFields();
            List<DocumentHit> hits = new ArrayList<>();
            for (ScoreDoc scoreDoc : searcher.search(keyword, query.k()).scoreDocs) {
                Document stored = storedFields.document(scoreDoc.doc);
                hits.add(new DocumentHit(stored.get(DOCUMENT_ID), stored.getField(VERSION).numericValue().longValue(),
                        stored.get(TITLE), scoreDoc.score));
            }
            return hits;
        });
    }

    /**
     * One small query per document: its chunks, each scored by the query's terms in its text. A chunk without
     * any of them scores 0, and among equal scores Lucene keeps the lowest doc id, which within a document's
     * block is its first chunk.
     */
    @Override
    public Map<String, IndexHit> bestChunks(IndexQuery query, Collection<String> documentIds, String text) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(documentIds, "documentIds");
        Query anyTerm = anyTerm(TEXT, text);
        return search(searcher -> {
            Map<String, IndexHit> best = new LinkedHashMap<>();
            for (String documentId : new LinkedHashSet<>(documentIds)) {
                BooleanQuery.Builder chunks = new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(KIND, KIND_CHUNK)), Occur.FILTER)
                        .add(new TermQuery(new Term(DOC_KEY, query.tenant() + "/" + documentId)), Occur.FILTER);
                if (anyTerm != null) {
                    chunks.add(anyTerm, Occur.SHOULD);
                }
                hits(searcher, searcher.search(chunks.build(), 1), score -> score).forEach(hit -> best.put(documentId, hit));
            }
            return best;
        });
    }

    /** Any of the text's analysed terms in {@code field}, one clause each; null when the text has none. */
    private static Query anyTerm(String field, String text) {
        Set<String> terms = new LinkedHashSet<>(TextAnalysis.terms(text == null ? "" : text));
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder anyTerm = new BooleanQuery.Builder();
        terms.stream().limit(MAX_QUERY_TERMS).forEach(term -> anyTerm.add(new TermQuery(new Term(field, term)),
                Occur.SHOULD));
        return anyTerm.build();
    }

    @Override
    public long countDocuments(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Query live = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, KIND_DOCUMENT)), Occur.FILTER)
                .add(new TermQuery(new Term(TENANT, tenant)), Occur.FILTER)
                .add(new TermQuery(new Term(DELETED, "false")), Occur.FILTER)
                .build();
        return search(searcher -> (long) searcher.count(live));
    }

    /** Number of live documents of every tenant in the index. */
    public long countAllDocuments() {
        Query live = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, KIND_DOCUMENT)), Occur.FILTER)
                .add(new TermQuery(new Term(DELETED, "false")), Occur.FILTER)
                .build();
        return search(searcher -> (long) searcher.count(live));
    }

    /** The model recorded in the latest commit of the index in {@code directory}, or {@code null} for none. */
    public static String recordedModel(Directory directory) {
        try {
            return DirectoryReader.indexExists(directory)
                    ? SegmentInfos.readLatestCommit(directory).getUserData().get(COMMIT_MODEL_ID)
                    : null;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Reading the Lucene index in " + directory + " failed", e);
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            searchers.close();
            if (writer != null) {
                if (uncommitted) {
                    commitNow();
                }
                writer.close();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Closing the Lucene index failed", e);
        }
        finally {
            try {
                if (ownsDirectory) {
                    directory.close();
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("Closing the Lucene directory failed", e);
            }
            finally {
                writeLock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "LuceneSearchIndex[" + directory + "]";
    }

    /** Validates the whole batch before anything is applied, so a refused batch changes nothing. */
    private String checkModelAndDimensions(List<IndexWrite> writes) throws IOException {
        String batchModel = modelId;
        int dimensions = storedDimensions();
        for (IndexWrite write : writes) {
            if (!(write instanceof IndexWrite.Replace replace)) {
                continue;
            }
            if (batchModel != null && !batchModel.equals(replace.modelId())) {
                throw new IllegalStateException("The index holds vectors of model '" + batchModel
                        + "'; refusing " + replace.documentKey() + " embedded with '" + replace.modelId()
                        + "' (rebuild the index to switch models)");
            }
            batchModel = replace.modelId();
            for (IndexedChunk chunk : replace.chunks()) {
                if (dimensions == 0) {
                    dimensions = chunk.vector().length;
                }
                else if (chunk.vector().length != dimensions) {
                    throw new IllegalArgumentException("Chunk " + chunk.chunkIndex() + " of " + replace.documentKey()
                            + " has " + chunk.vector().length + " dimensions, expected " + dimensions);
                }
            }
        }
        return batchModel;
    }

    private int storedDimensions() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            FieldInfo vectors = FieldInfos.getMergedFieldInfos(searcher.getIndexReader()).fieldInfo(VECTOR);
            return vectors == null ? 0 : vectors.getVectorDimension();
        }
        finally {
            searchers.release(searcher);
        }
    }

    private List<String> applyNewerVersions(List<IndexWrite> writes) throws IOException {
        List<String> skipped = new ArrayList<>();
        Map<String, Long> versionsInBatch = new HashMap<>();
        IndexSearcher searcher = searchers.acquire();
        try {
            for (IndexWrite write : writes) {
                String key = write.documentKey();
                Long held = versionsInBatch.get(key);
                if (held == null) {
                    held = unrefreshedVersions.get(key);
                }
                long heldVersion = held != null ? held : storedVersion(searcher, key);
                if (write.version() < heldVersion) {
                    skipped.add(key);
                    continue;
                }
                Term documentTerm = new Term(DOC_KEY, key);
                switch (write) {
                    case IndexWrite.Replace replace -> writer.updateDocuments(documentTerm, documents(replace));
                    case IndexWrite.Remove remove -> writer.updateDocuments(documentTerm, List.of(tombstone(remove)));
                }
                versionsInBatch.put(key, write.version());
                unrefreshedVersions.put(key, write.version());
            }
        }
        finally {
            searchers.release(searcher);
        }
        return skipped;
    }

    /** The version the index holds for a document, live or deleted; {@code Long.MIN_VALUE} when none. */
    private static long storedVersion(IndexSearcher searcher, String documentKey) throws IOException {
        Query record = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, KIND_DOCUMENT)), Occur.FILTER)
                .add(new TermQuery(new Term(DOC_KEY, documentKey)), Occur.FILTER)
                .build();
        long version = Long.MIN_VALUE;
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (ScoreDoc hit : searcher.search(record, 10).scoreDocs) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
            NumericDocValues versions = leaf.reader().getNumericDocValues(VERSION);
            if (versions != null && versions.advanceExact(hit.doc - leaf.docBase)) {
                version = Math.max(version, versions.longValue());
            }
        }
        return version;
    }

    private static List<Document> documents(IndexWrite.Replace replace) {
        List<Document> documents = new ArrayList<>(replace.chunks().size() + 1);
        Document record = documentRecord(replace, false);
        record.add(new TextField(TITLE, replace.title(), Field.Store.YES));
        record.add(new TextField(CONTENT, wholeText(replace), Field.Store.NO));
        addMetadata(record, replace);
        documents.add(record);
        for (IndexedChunk chunk : replace.chunks()) {
            Document document = new Document();
            addIdentity(document, KIND_CHUNK, replace);
            document.add(new StoredField(CHUNK_INDEX, chunk.chunkIndex()));
            document.add(new StoredField(CHUNK_COUNT, replace.chunks().size()));
            document.add(new StoredField(CHUNK_HASH, chunk.chunkHash()));
            document.add(new StringField(MODEL_ID, replace.modelId(), Field.Store.YES));
            document.add(new TextField(TITLE, replace.title(), Field.Store.YES));
            document.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
            document.add(new KnnFloatVectorField(VECTOR, chunk.vector(), VectorSimilarityFunction.COSINE));
            addMetadata(document, replace);
            documents.add(document);
        }
        return documents;
    }

    /** The text the document-level BM25 field holds: the title opens it, as it opens the first chunk. */
    static String wholeText(IndexWrite.Replace replace) {
        return replace.title().isEmpty() ? replace.body() : replace.title() + "\n" + replace.body();
    }

    private static void addMetadata(Document document, IndexWrite.Replace replace) {
        replace.metadata().forEach((key, value) ->
                document.add(new StringField(META_PREFIX + key, value, Field.Store.NO)));
    }

    private static Document tombstone(IndexWrite.Remove remove) {
        return documentRecord(remove, true);
    }

    private static Document documentRecord(IndexWrite write, boolean deleted) {
        Document record = new Document();
        addIdentity(record, KIND_DOCUMENT, write);
        record.add(new StringField(DELETED, Boolean.toString(deleted), Field.Store.YES));
        return record;
    }

    private static void addIdentity(Document document, String kind, IndexWrite write) {
        document.add(new StringField(KIND, kind, Field.Store.NO));
        document.add(new StringField(TENANT, write.tenant(), Field.Store.YES));
        document.add(new StringField(DOC_KEY, write.documentKey(), Field.Store.NO));
        document.add(new StringField(DOCUMENT_ID, write.documentId(), Field.Store.YES));
        document.add(new NumericDocValuesField(VERSION, write.version()));
        document.add(new StoredField(VERSION, write.version()));
    }

    /** Chunks of the query's tenant that carry every requested metadata value. */
    private static Query chunkFilter(IndexQuery query) {
        return filter(KIND_CHUNK, query).build();
    }

    /** Live document records of the query's tenant that carry every requested metadata value. */
    private static Query documentFilter(IndexQuery query) {
        return filter(KIND_DOCUMENT, query).add(new TermQuery(new Term(DELETED, "false")), Occur.FILTER).build();
    }

    private static BooleanQuery.Builder filter(String kind, IndexQuery query) {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, kind)), Occur.FILTER)
                .add(new TermQuery(new Term(TENANT, query.tenant())), Occur.FILTER);
        query.filters().forEach((key, value) ->
                filter.add(new TermQuery(new Term(META_PREFIX + key, value)), Occur.FILTER));
        if (!query.documentIds().isEmpty()) {
            filter.add(new TermInSetQuery(DOC_KEY, query.documentIds().stream()
                    .map(id -> new BytesRef(query.tenant() + "/" + id)).toList()), Occur.FILTER);
        }
        return filter;
    }

    private static List<IndexHit> hits(IndexSearcher searcher, TopDocs top, ScoreMapping scoreMapping)
            throws IOException {
        StoredFields storedFields = searcher.storedFields();
        List<IndexHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scoreDoc : top.scoreDocs) {
            Document stored = storedFields.document(scoreDoc.doc);
            // Chunks written before chunk counts were stored count as single chunks: no length prior for them.
            IndexableField chunkCount = stored.getField(CHUNK_COUNT);
            hits.add(new IndexHit(stored.get(DOCUMENT_ID), stored.getField(CHUNK_INDEX).numericValue().intValue(),
                    stored.getField(VERSION).numericValue().longValue(), stored.get(TITLE), stored.get(TEXT),
                    scoreMapping.apply(scoreDoc.score), chunkCount == null ? 1 : chunkCount.numericValue().intValue()));
        }
        return hits;
    }

    private <T> T search(SearcherWork<T> work) {
        ensureOpen();
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        }
        catch (AlreadyClosedException e) {
            throw new IllegalStateException("The Lucene index is closed", e);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Opening a Lucene searcher failed", e);
        }
        try {
            return work.run(searcher);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Searching the Lucene index failed", e);
        }
        finally {
            try {
                searchers.release(searcher);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Releasing a Lucene searcher failed", e);
            }
        }
    }

    /** The model recorded in the commit the searchers currently read. */
    private String committedModel() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return ((DirectoryReader) searcher.getIndexReader()).getIndexCommit().getUserData().get(COMMIT_MODEL_ID);
        }
        finally {
            searchers.release(searcher);
        }
    }

    /**
     * Live documents written before the index held whole documents for BM25 are invisible to keyword search
     * until they are written again; a replay does that without embedding anything.
     */
    private void warnAboutDocumentsWithoutText() throws IOException {
        long missing = countDocumentsWithoutText();
        if (missing > 0) {
            log.warn("{} documents in {} were indexed before document-level keyword retrieval and are missed by "
                    + "keyword search until they are written again: run './docstream replay' (or a reindex)", missing,
                    directory);
        }
    }

    /** Live documents whose record lacks the whole text that keyword search reads (indexed by an older version). */
    long countDocumentsWithoutText() {
        Query withoutText = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, KIND_DOCUMENT)), Occur.FILTER)
                .add(new TermQuery(new Term(DELETED, "false")), Occur.FILTER)
                .add(new FieldExistsQuery(CONTENT), Occur.MUST_NOT)
                .build();
        return search(searcher -> (long) searcher.count(withoutText));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The Lucene index is closed");
        }
    }

    private void closeQuietly(IndexWriter openedWriter) {
        if (openedWriter != null) {
            try {
                openedWriter.rollback();
            }
            catch (IOException | RuntimeException ignored) {
                // the open failure is the error worth reporting
            }
        }
        if (ownsDirectory) {
            try {
                directory.close();
            }
            catch (IOException | RuntimeException ignored) {
                // the open failure is the error worth reporting
            }
        }
    }

    private static Directory openDirectory(Path path) {
        Objects.requireNonNull(path, "path");
        try {
            Files.createDirectories(path);
            return FSDirectory.open(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot open the index directory " + path, e);
        }
    }

    @FunctionalInterface
    private interface SearcherWork<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    @FunctionalInterface
    private interface ScoreMapping {
        float apply(float score);
    }
}
