package io.docstream.indexer.reindex;

import io.docstream.search.chunking.Chunk;
import io.docstream.indexer.indexing.DocumentWrites;
import io.docstream.search.chunking.Chunker;
import io.docstream.search.IndexWrite;
import io.docstream.search.SearchIndex;
import io.docstream.indexer.embedding.CachedEmbedder;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.UpsertDocument;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes commands into one index target the way the indexer does: upserts chunked (the title opening the first
 * paragraph), embedded with the target's model through the durable embedding cache, and written in one
 * version-guarded call; deletes become tombstones. PostgreSQL, the system of record, is not touched.
 */
final class TargetWriter {

    private final String target;
    private final SearchIndex index;
    private final Chunker chunker;
    private final CachedEmbedder embedder;

    TargetWriter(String target, SearchIndex index, Chunker chunker, CachedEmbedder embedder) {
        this.target = Objects.requireNonNull(target, "target");
        this.index = Objects.requireNonNull(index, "index");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    String target() {
        return target;
    }

    /** Applies the commands; returns how many the index skipped because it held a newer version. */
    int write(Collection<DocumentCommand> commands) {
        if (commands.isEmpty()) {
            return 0;
        }
        Map<DocumentCommand, List<Chunk>> chunked = new LinkedHashMap<>();
        for (DocumentCommand command : commands) {
            chunked.put(command, switch (command) {
                case UpsertDocument upsert -> chunker.chunk(DocumentWrites.textOf(upsert));
                case DeleteDocument delete -> List.of();
            });
        }
        Map<String, float[]> vectors = embedder.vectorsFor(chunked.values().stream().flatMap(List::stream).toList());
        List<IndexWrite> writes = new ArrayList<>(chunked.size());
        chunked.forEach((command, chunks) -> writes.add(
                DocumentWrites.indexWrite(command, chunks, vectors, embedder.modelId())));
        return index.write(writes).size();
    }

}
