package io.docstream.indexer.indexing;

import io.docstream.search.chunking.Chunk;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.UpsertDocument;
import java.util.List;
import java.util.Map;

/**
 * How a document command becomes text to chunk and a write to a search index, shared by the indexer and the
 * reindexer so that both targets of a reindex hold exactly what the indexer would have written.
 */
public final class DocumentWrites {

    private DocumentWrites() {
    }

    /** The text to chunk: the title opens the first paragraph instead of becoming a chunk of its own. */
    public static String textOf(UpsertDocument upsert) {
        return upsert.title().isEmpty() ? upsert.body() : upsert.title() + "\n" + upsert.body();
    }

    /** The index write of a command, its chunks carrying the vectors found by chunk hash in {@code vectors}. */
    public static IndexWrite indexWrite(DocumentCommand command, List<Chunk> chunks, Map<String, float[]> vectors,
            String modelId) {
        return switch (command) {
            case UpsertDocument upsert -> new IndexWrite.Replace(upsert.tenant(), upsert.documentId(),
                    upsert.version(), upsert.title(), upsert.body(), upsert.metadata(), modelId,
                    chunks.stream()
                            .map(chunk -> new IndexedChunk(chunk.index(), chunk.text(), chunk.hash(),
                                    vectors.get(chunk.hash())))
                            .toList());
            case DeleteDocument delete -> new IndexWrite.Remove(delete.tenant(), delete.documentId(),
                    delete.version());
        };
    }
}
