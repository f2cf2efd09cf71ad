package io.docstream.search;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where documents are stored for retrieval: each document's whole text for BM25, and its chunks, each with
 * its dense vector and its text.
 * Writes are idempotent and version-guarded per document: a write whose version is older than the
 * version the index holds for that document changes nothing. Writes are durable when they return.
 */
public interface SearchIndex extends AutoCloseable {

    /** The adapter's name, e.g. {@code lucene} or {@code qdrant}. */
    String name();

    /**
     * Applies the writes in order. A {@link IndexWrite.Replace} swaps all chunks of a document for
     * the given ones; a {@link IndexWrite.Remove} removes the document. Returns the keys of documents
     * whose write was skipped because the index already held a newer version.
     */
    List<String> write(List<IndexWrite> writes);

    /**
     * Applies the writes as {@link #write(List)} does and records {@code positions} with them: for each source
     * partition of the writes (for example {@code docstream.documents.v1-0}), the position after the last record
     * they cover. With {@code deferCommit} an index that can commit lazily may return before the writes are
     * durable; they become durable, their positions with them, at the next write without it, at {@link #commit()}
     * or at {@link #close()}. A crash before that loses them, and {@link #durablePositions()} then says from where
     * the source must be read again. An index that is durable on every write records nothing and ignores both.
     */
    default List<String> write(List<IndexWrite> writes, Map<String, Long> positions, boolean deferCommit) {
        return write(writes);
    }

    /**
     * The positions recorded by the index's latest durable commit: every write from records before them is
     * durable. Empty when the index records none (it is durable on every write, or nothing was recorded yet).
     */
    default Map<String, Long> durablePositions() {
        return Map.of();
    }

    /** Makes writes made with {@code deferCommit} durable now; does nothing when there are none. */
    default void commit() {
    }

    /**
     * Nearest chunks to {@code vector} by cosine similarity, best first, at most {@code query.k()}; each hit says
     * how many chunks its document has.
     */
    List<IndexHit> searchDense(IndexQuery query, float[] vector);

    /**
     * Best documents for {@code text} by BM25 over each document's whole text (title and body as one field,
     * analysed with {@link TextAnalysis}, parameters {@link TextAnalysis#BM25_K1} and
     * {@link TextAnalysis#DOCUMENT_BM25_B}), best first, at most {@code query.k()}. The text is plain words,
     * never query syntax.
     */
    List<DocumentHit> searchKeyword(IndexQuery query, String text);

    /**
     * For each of {@code documentIds} (documents of the query's tenant), the chunk whose text matches {@code text}
     * best by BM25, with that score; a document none of whose chunks holds a query term gets its first chunk with
     * score 0. Documents the index does not hold are left out. This picks snippets, not rankings.
     */
    Map<String, IndexHit> bestChunks(IndexQuery query, Collection<String> documentIds, String text);

    /**
     * Whether this process only reads the index (another process writes it); {@link #write} then throws
     * {@link UnsupportedOperationException}.
     */
    default boolean readOnly() {
        return false;
    }

    /** Number of live documents the tenant has in the index. */
    long countDocuments(String tenant);

    @Override
    void close();
}
