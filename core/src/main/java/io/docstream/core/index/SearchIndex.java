package io.docstream.core.index;

import java.util.List;

/**
 * Where chunks are stored for retrieval: each chunk with its dense vector and its BM25 terms.
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

    /** Nearest chunks to {@code vector} by cosine similarity, best first. */
    List<IndexHit> searchDense(IndexQuery query, float[] vector);

    /** Best BM25 chunks for {@code text}, analysed with {@link TextAnalysis}, best first. */
    List<IndexHit> searchKeyword(IndexQuery query, String text);

    /**
     * Dense and BM25 retrieval fused by reciprocal rank fusion at chunk level, best first: each chunk
     * scores {@code sum over the two rankings of 1 / (rankConstant + rank)}, ranks starting at 1, and the
     * best {@code query.k()} chunks are returned with that score. This default runs the two retrievals
     * one after the other and fuses them here; adapters whose engine fuses server-side override it with
     * one call and say so through {@link #fusesServerSide()}.
     */
    default List<IndexHit> searchHybrid(IndexQuery query, float[] vector, String text, int rankConstant) {
        return ChunkFusion.rrf(List.of(searchDense(query, vector), searchKeyword(query, text)), rankConstant,
                query.k());
    }

    /** Whether {@link #searchHybrid} is one fused query in the engine rather than two retrievals. */
    default boolean fusesServerSide() {
        return false;
    }

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
