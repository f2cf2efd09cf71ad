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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies a batch of commands to every sink: chunks the upserts, gets their vectors (cache first),
 * writes PostgreSQL in one transaction and then the search index in one call. Every sink is idempotent and
 * version-guarded, so running the same batch again after a crash changes nothing. PostgreSQL goes first:
 * the system of record refuses a command with bad data (an unknown tenant, text it cannot store) before
 * the index holds anything of it, so poison never becomes searchable.
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

    BatchIndexer(Chunker chunker, CachedEmbedder embedder, SearchIndex searchIndex, DocumentStore documents,
            Clock clock, MeterRegistry meters) {
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
    }

    String modelId() {
        return embedder.modelId();
    }

    /** Applies {@code batch}; the shared steps get batch spans from {@code spans}, linked to every document. */
    List<IndexedDocumentResult> index(List<PendingDocument> batch, FlushSpans spans) {
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
                span -> writeIndex(chunked, vectors));
        return applied.stream().map(document -> result(document, chunked.get(document), indexedAt)).toList();
    }

    private Map<PendingDocument, List<Chunk>> chunk(List<PendingDocument> batch) {
        Map<PendingDocument, List<Chunk>> chunked = new LinkedHashMap<>();
        for (PendingDocument document : batch) {
            chunked.put(document, switch (document.command()) {
                case UpsertDocument upsert -> chunker.chunk(DocumentWrites.textOf(upsert));
                case DeleteDocument delete -> List.of();
            });
        }
        return chunked;
    }

    /** Writes all documents in one call and returns those the index accepted. */
    private List<PendingDocument> writeIndex(Map<PendingDocument, List<Chunk>> chunked, Map<String, float[]> vectors) {
        List<IndexWrite> writes = new ArrayList<>(chunked.size());
        chunked.forEach((document, chunks) -> writes.add(
                DocumentWrites.indexWrite(document.command(), chunks, vectors, embedder.modelId())));
        Set<String> skipped = new HashSet<>(indexWrite.record(() -> searchIndex.write(writes)));
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
