package io.docstream.core.index;

/** A matching chunk with the engine's score (cosine similarity or BM25), higher is better. */
public record IndexHit(String documentId, int chunkIndex, long version, String title, String text, float score) {
}
