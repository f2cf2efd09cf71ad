package io.docstream.cli.bench;

import io.docstream.search.chunking.Chunk;
import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.Embedder;
import io.docstream.embedding.EmbedderRegistry;
import io.docstream.cli.bench.BenchServices.Doc;
import java.util.ArrayList;
import java.util.List;

/**
 * The services' embedding model loaded in the benchmark's own JVM (through the same {@link EmbedderRegistry}),
 * with a {@link Chunker} sized as the services size theirs: the anchors of what the model alone costs.
 */
final class ModelAnchor {

    /** The services' defaults ({@code docstream.chunking.*}, {@code docstream.indexer.embed-batch-size}). */
    static final int MAX_TOKENS = 200;
    static final int OVERLAP_TOKENS = 32;
    static final int EMBED_BATCH_SIZE = 32;

    private final Embedder embedder;
    private final Chunker chunker;
    private final int batchSize;

    private ModelAnchor(Embedder embedder, int batchSize) {
        this.embedder = embedder;
        this.chunker = Chunker.sizedFor(embedder, MAX_TOKENS, OVERLAP_TOKENS);
        this.batchSize = batchSize;
    }

    static ModelAnchor load(String modelId, int batchSize) {
        return new ModelAnchor(new EmbedderRegistry().embedder(modelId), batchSize);
    }

    String modelId() {
        return embedder.modelId();
    }

    int batchSize() {
        return batchSize;
    }

    /** The chunks the indexer makes of a document (its title line, then its body). */
    List<Chunk> chunks(Doc doc) {
        return chunker.chunk(doc.title().isEmpty() ? doc.body() : doc.title() + "\n" + doc.body());
    }

    List<String> chunkTexts(List<Doc> documents) {
        List<String> texts = new ArrayList<>();
        for (Doc doc : documents) {
            chunks(doc).forEach(chunk -> texts.add(chunk.text()));
        }
        return texts;
    }

    /** Embeds the texts in the indexer's batch size, on this thread; returns the nanoseconds it took. */
    long embedAll(List<String> texts) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batchSize) {
            embedder.embedDocuments(texts.subList(from, Math.min(from + batchSize, texts.size())));
        }
        return System.nanoTime() - start;
    }

    /** Nanoseconds to embed one query as a search does. */
    long embedQuery(String query) {
        long start = System.nanoTime();
        embedder.embedQuery(query);
        return System.nanoTime() - start;
    }
}
