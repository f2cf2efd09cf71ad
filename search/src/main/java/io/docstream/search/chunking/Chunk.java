package io.docstream.search.chunking;

/**
 * A piece of a document small enough for the embedding model. {@code hash} is the SHA-256 (hex) of
 * the normalised text, so equal text always has an equal hash; offsets point into the source text.
 */
public record Chunk(int index, String text, String hash, int tokenCount, int startOffset, int endOffset) {
}
