package io.docstream.indexer.indexing;

import io.docstream.search.chunking.Chunk;
import io.docstream.search.chunking.Chunker;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import io.docstream.indexer.embedding.CachedEmbedder;
import io.docstream.indexer.storage.DocumentStore;
import io.docstream.indexer.storage.IndexedDocument;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.UpsertDocument;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.docstream.schemas.events.DocumentKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies a batch of commands to every sink: chunks the upserts, gets their vectors (cache first),
 * writes PostgreSQL in one transaction and then the search index in one call. Every sink is idempotent and
 * version-guarded, so running the same batch again after a crash changes nothing. PostgreSQL goes first:
 * the system of record refuses a command with bad data (an unknown tenant, text it cannot store) before
 * the index holds anything of it, so poison never becomes searchable.
 *
 * <p>A document re-applied at the version the indexer already applied (a replay) is not chunked again: its
 * chunks come back from PostgreSQL, checked against the chunk hashes the indexer recorded. While a replay runs
 * and a batch holds only such re-applications, the index may defer its commit and refresh (at most
 * {@link BatchSettings.Replay#commitInterval()}); every write carries
 * the source positions it covers, which the index commits with it, so {@link IndexRecovery} knows what a crash
 * lost.
 *
 * <p>An upsert accepted into a live batch can be chunked and its chunks embedded ahead of its flush
 * ({@link #accepted}), on the embedder's worker, while the batch fills and earlier batches are written; the flush
 * then takes those chunks and vectors. Chunks and vectors are functions of the text alone, so the flush writes
 * exactly what it would have made itself.
 */
final class BatchIndexer {

    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("docstream.batch_size");
    private static final AttributeKey<Long> DOCUMENT_COUNT = AttributeKey.longKey("docstream.documents");
    private static final AttributeKey<String> INDEX = AttributeKey.stringKey("docstream.index");
    private static final AttributeKey<Long> WRITES = AttributeKey.longKey("docstream.writes");

    private final Chunker chunker;
    private final CachedEmbedder embedder;
    private final SearchIndex searchIndex;
    private final DocumentStore documents;
    private final Clock clock;
    private final Timer indexWrite;
    private final Counter skippedByIndex;
    private final Counter chunksReused;
    private final Duration replayCommitInterval;
    /** Chunks of upserts chunked ahead of their flush, by document, at the version they were made for. */
    private final Map<DocumentKey, ChunkedAhead> chunkedAhead = new ConcurrentHashMap<>();
    /** The most documents chunked ahead at once (this instance's share of every partition's pending batch). */
    private static final int MAX_CHUNKED_AHEAD = 10_000;

    /** {@code embedding}: whether the embedder took the chunks to embed ahead (else the flush embeds them). */
    private record ChunkedAhead(long version, List<Chunk> chunks, boolean embedding) {
    }

    /** {@link System#nanoTime()} of the oldest write whose commit was deferred, or -1 when there is none. */
    private long deferredSince = -1;

    BatchIndexer(Chunker chunker, CachedEmbedder embedder, SearchIndex searchIndex, DocumentStore documents,
            Clock clock, Duration replayCommitInterval, MeterRegistry meters) {
        this.replayCommitInterval = Objects.requireNonNull(replayCommitInterval, "replayCommitInterval");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.searchIndex = Objects.requireNonNull(searchIndex, "searchIndex");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.indexWrite = Timer.builder("docstream.indexer.index.write")
                .description("Time to write one batch to the search index")
                .tag("index", searchIndex.name())
                .register(meters);
        this.skippedByIndex = Counter.builder("docstream.indexer.index.skipped")
                .description("Documents the search index refused because it held a newer version")
                .register(meters);
        this.chunksReused = Counter.builder("docstream.indexer.chunks.reused")
                .description("Chunks of re-applied documents read back from PostgreSQL instead of chunking the text")
                .register(meters);
    }

    String modelId() {
        return embedder.modelId();
    }

    /**
     * Starts the work for {@code command}, just accepted into a batch: an upsert is chunked and its chunks handed to
     * the embedder to embed ahead. A re-application at the version already indexed is left alone (its chunks come
     * back from PostgreSQL, their vectors from the cache), and so is a text the chunker refuses: its flush finds the
     * failure, and whether it is poison, as before.
     */
    void accepted(DocumentKey key, DocumentCommand command, DocumentState previous) {
        if (!(command instanceof UpsertDocument upsert) || reapplied(command, previous)) {
            chunkedAhead.remove(key);
            return;
        }
        if (chunkedAhead.size() >= MAX_CHUNKED_AHEAD) {
            // What a moved partition left here is never flushed here; what is dropped is only made again later.
            chunkedAhead.clear();
        }
        List<Chunk> chunks;
        try {
            chunks = chunker.chunk(DocumentWrites.textOf(upsert));
        } catch (RuntimeException e) {
            chunkedAhead.remove(key);
            return;
        }
        chunkedAhead.put(key, new ChunkedAhead(command.version(), chunks, embedder.embedAhead(chunks)));
    }

    /**
     * Whether {@code document}'s flush would start writing without waiting for the model: nothing to embed, or its
     * chunks were embedded ahead. A document accepted before a restart was not handed in, so it is not ready.
     */
    boolean ready(PendingDocument document) {
        if (!(document.command() instanceof UpsertDocument) || reapplied(document.command(), document.previous())) {
            return true;
        }
        ChunkedAhead ahead = chunkedAhead.get(document.key());
        return ahead != null && ahead.version() == document.command().version() && ahead.embedding()
                && embedder.resolvedAhead(ahead.chunks());
    }

    /** Applies {@code batch} as a live flush: the index commits before this returns. */
    List<IndexedDocumentResult> index(List<PendingDocument> batch, FlushSpans spans) {
        return index(batch, Map.of(), false, spans);
    }

    /**
     * Applies {@code batch}, whose records end before {@code positions} in their source partitions; the shared steps
     * get batch spans from {@code spans}, linked to every document. While {@code replaying}, the index commit may be
     * deferred.
     */
    List<IndexedDocumentResult> index(List<PendingDocument> batch, Map<String, Long> positions, boolean replaying,
            FlushSpans spans) {
        Map<PendingDocument, List<Chunk>> chunked = chunk(batch);
        chunked.forEach((document, chunks) -> spans.chunked(document.key(), chunks.size()));
        List<Chunk> chunks = chunked.values().stream().flatMap(List::stream).toList();
        Map<String, float[]> vectors = chunks.isEmpty()
                ? Map.of()
                : spans.inBatchSpan("embed batch",
                        Attributes.of(BATCH_SIZE, (long) chunks.size(), FlushSpans.MODEL, embedder.modelId()),
                        span -> embedder.vectorsFor(chunks, span));
        // The batch's writes start now: the cache-invalidation lag measured from here is the writes and the hops
        // to the caches, not the embedding that came before.
        Instant indexedAt = clock.instant();
        spans.inBatchSpan("store documents", Attributes.of(DOCUMENT_COUNT, (long) batch.size()), span -> {
            documents.apply(batch.stream()
                    .map(document -> new IndexedDocument(document.command(), chunked.get(document),
                            embedder.modelId(), indexedAt))
                    .toList());
            return null;
        });
        List<PendingDocument> applied = spans.inBatchSpan("index write",
                Attributes.of(INDEX, searchIndex.name(), WRITES, (long) chunked.size()),
                span -> writeIndex(chunked, vectors, positions, replaying && reappliesOnly(batch)));
        return applied.stream().map(document -> result(document, chunked.get(document), indexedAt)).toList();
    }

    private Map<PendingDocument, List<Chunk>> chunk(List<PendingDocument> batch) {
        Map<DocumentKey, List<Chunk>> stored = storedChunksOfReapplied(batch);
        Map<PendingDocument, List<Chunk>> chunked = new LinkedHashMap<>();
        for (PendingDocument document : batch) {
            chunked.put(document, switch (document.command()) {
                case UpsertDocument upsert -> {
                    List<Chunk> reused = stored.get(document.key());
                    ChunkedAhead ahead = chunkedAhead.remove(document.key());
                    if (reused != null) {
                        yield reused;
                    }
                    yield ahead != null && ahead.version() == upsert.version()
                            ? ahead.chunks()
                            : chunker.chunk(DocumentWrites.textOf(upsert));
                }
                case DeleteDocument delete -> {
                    chunkedAhead.remove(document.key());
                    yield List.of();
                }
            });
        }
        return chunked;
    }

    /**
     * The chunks PostgreSQL holds for the upserts re-applied at the version the indexer applied, where they are
     * exactly the chunks the indexer recorded for it (same hashes in the same order); others are chunked again.
     */
    private Map<DocumentKey, List<Chunk>> storedChunksOfReapplied(List<PendingDocument> batch) {
        Map<DocumentKey, Long> reapplied = new HashMap<>();
        for (PendingDocument document : batch) {
            DocumentState previous = document.previous();
            if (document.command() instanceof UpsertDocument && previous != null && !previous.deleted()
                    && previous.version() == document.command().version() && !previous.chunkHashes().isEmpty()) {
                reapplied.put(document.key(), previous.version());
            }
        }
        if (reapplied.isEmpty()) {
            return Map.of();
        }
        Map<DocumentKey, List<Chunk>> stored = new HashMap<>(documents.storedChunks(reapplied));
        for (PendingDocument document : batch) {
            List<Chunk> chunks = stored.get(document.key());
            if (chunks != null && !chunks.stream().map(Chunk::hash).toList().equals(document.previous().chunkHashes())) {
                stored.remove(document.key());
            }
        }
        chunksReused.increment(stored.values().stream().mapToInt(List::size).sum());
        return stored;
    }

    /**
     * Whether every document of the batch is re-applied at the version the indexer already applied: only then may
     * the index defer its commit and refresh. A new version is committed and searchable before its
     * {@code DocumentIndexed} leaves, during a replay as at any other time, or caches would keep what it replaced.
     */
    private static boolean reappliesOnly(List<PendingDocument> batch) {
        return batch.stream().allMatch(document -> reapplied(document.command(), document.previous()));
    }

    /** Whether {@code command} re-applies the version the indexer already applied ({@code previous}). */
    private static boolean reapplied(DocumentCommand command, DocumentState previous) {
        return previous != null && previous.version() == command.version();
    }

    /**
     * Commits the index when a deferred commit has waited the replay's commit interval; called between flushes,
     * so a replay that ends (or pauses) is durable within the interval.
     */
    void commitIfDue() {
        if (deferredCommitDue()) {
            searchIndex.commit();
            committed();
        }
    }

    private synchronized boolean deferredCommitDue() {
        return deferredSince >= 0 && System.nanoTime() - deferredSince >= replayCommitInterval.toNanos();
    }

    /**
     * Whether the next write may leave its commit for later; records it as deferred when so. Only where the index's
     * last commit recorded a position for every partition of the write: otherwise a crash would leave no mark to
     * read those records again from (a replay into a new, empty index commits its first flush).
     */
    private synchronized boolean deferNextCommit(boolean deferrable, Map<String, Long> positions) {
        if (!deferrable || positions.isEmpty() || !searchIndex.durablePositions().keySet().containsAll(positions.keySet())) {
            return false;
        }
        long now = System.nanoTime();
        boolean defer = deferredSince < 0 || now - deferredSince < replayCommitInterval.toNanos();
        if (defer && deferredSince < 0) {
            deferredSince = now;
        }
        return defer;
    }

    private synchronized void committed() {
        deferredSince = -1;
    }

    /** Writes all documents in one call and returns those the index accepted. */
    private List<PendingDocument> writeIndex(Map<PendingDocument, List<Chunk>> chunked, Map<String, float[]> vectors,
            Map<String, Long> positions, boolean deferrable) {
        List<IndexWrite> writes = new ArrayList<>(chunked.size());
        chunked.forEach((document, chunks) -> writes.add(
                DocumentWrites.indexWrite(document.command(), chunks, vectors, embedder.modelId())));
        boolean defer = deferNextCommit(deferrable, positions);
        Set<String> skipped = new HashSet<>(indexWrite.record(() -> searchIndex.write(writes, positions, defer)));
        if (!defer) {
            committed();
        }
        skippedByIndex.increment(skipped.size());
        return chunked.keySet().stream().filter(document -> !skipped.contains(document.key().toString())).toList();
    }

    private IndexedDocumentResult result(PendingDocument document, List<Chunk> chunks, Instant indexedAt) {
        DocumentCommand command = document.command();
        boolean deleted = command instanceof DeleteDocument;
        List<String> hashes = chunks.stream().map(Chunk::hash).toList();
        Set<String> previousHashes = document.previous() == null
                ? Set.of()
                : Set.copyOf(document.previous().chunkHashes());
        int changed = (int) hashes.stream().filter(hash -> !previousHashes.contains(hash)).count();
        DocumentIndexed event = new DocumentIndexed(command.tenant(), command.documentId(), command.version(),
                hashes, changed, deleted, embedder.modelId(), command.acceptedAt(), indexedAt);
        return new IndexedDocumentResult(document.key(), new DocumentState(command.version(), deleted, hashes), event);
    }
}
