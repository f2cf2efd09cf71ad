package io.docstream.indexer.storage;

import io.docstream.search.chunking.Chunk;
import io.docstream.schemas.events.DocumentCommand;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A command the search index accepted, with its chunks (none for a delete), to record in PostgreSQL. */
public record IndexedDocument(DocumentCommand command, List<Chunk> chunks, String modelId, Instant indexedAt) {

    public IndexedDocument {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(indexedAt, "indexedAt");
        chunks = List.copyOf(chunks);
    }
}
