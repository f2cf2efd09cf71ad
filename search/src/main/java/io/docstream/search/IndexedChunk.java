package io.docstream.search;

import java.util.Objects;

/** A chunk as stored in the index: its text (for BM25 and snippets), hash and dense vector. */
public record IndexedChunk(int chunkIndex, String text, String chunkHash, float[] vector) {

    public IndexedChunk {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(chunkHash, "chunkHash");
        Objects.requireNonNull(vector, "vector");
    }
}
