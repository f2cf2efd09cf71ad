package io.docstream.search;

/** A matching document with the engine's score for the whole document (BM25), higher is better. */
public record DocumentHit(String documentId, long version, String title, float score) {
}
