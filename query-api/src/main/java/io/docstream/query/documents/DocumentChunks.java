package io.docstream.query.documents;

import java.util.List;

/** What {@code GET /api/v1/documents/{id}/chunks} answers: the chunks of the document's current version. */
record DocumentChunks(String id, long version, List<Chunk> chunks) {

    /** One chunk as the indexer stored it: its place, text, content hash and size in model tokens. */
    record Chunk(int index, String text, String hash, int tokens) {
    }
}
