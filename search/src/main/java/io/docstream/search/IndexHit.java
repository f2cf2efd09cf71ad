package io.docstream.search;

/**
 * A matching chunk with the engine's score (cosine similarity or BM25), higher is better, and the number of
 * chunks its document has, so a ranking can weigh a document's best chunk against the document's length.
 */
public record IndexHit(String documentId, int chunkIndex, long version, String title, String text, float score,
        int documentChunks) {
}
