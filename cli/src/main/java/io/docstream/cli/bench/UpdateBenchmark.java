package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchServices.Doc;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The update scenario: a document of many paragraphs (each its own chunk, since paragraphs are chunk
 * boundaries) is created, then one paragraph is changed; the indexer's embedding cache misses must grow by
 * exactly one. The create → indexed time of the same document is the anchor of the update → indexed time.
 */
final class UpdateBenchmark {

    private static final int PARAGRAPHS = 12;
    private static final int WORDS_PER_PARAGRAPH = 60;

    private final BenchServices services;
    private final SyntheticCorpus corpus;
    private final ModelAnchor model;

    UpdateBenchmark(BenchServices services, SyntheticCorpus corpus, ModelAnchor model) {
        this.services = services;
        this.corpus = corpus;
        this.model = model;
    }

    BenchFigures run(String nonce, long seed) throws InterruptedException {
        Random random = new Random(seed);
        String id = "bench-update-" + nonce;
        List<String> paragraphs = new ArrayList<>(corpus.paragraphs(random, PARAGRAPHS, WORDS_PER_PARAGRAPH,
                nonce + "-v1"));
        Doc created = new Doc(id, "Update benchmark " + nonce, String.join("\n\n", paragraphs), Map.of("source", "bench"));
        int chunks = model.chunks(created).size();
        services.out.printf(Locale.ROOT, "  creating %s: %d paragraphs, %d chunks ...%n", id, PARAGRAPHS, chunks);
        double before = services.embeddedChunks();
        long start = System.nanoTime();
        long version = services.put(created);
        double createMillis = (services.awaitIndexed(Map.of(id, version), "indexed") - start) / 1e6;
        double afterCreate = services.embeddedChunks();

        int changed = PARAGRAPHS / 2;
        paragraphs.set(changed, corpus.body(random, WORDS_PER_PARAGRAPH, nonce + "-v2"));
        Doc updated = new Doc(id, created.title(), String.join("\n\n", paragraphs), created.metadata());
        services.out.printf(Locale.ROOT, "  changing paragraph %d of %d ...%n", changed + 1, PARAGRAPHS);
        start = System.nanoTime();
        version = services.put(updated);
        double updateMillis = (services.awaitIndexed(Map.of(id, version), "indexed") - start) / 1e6;
        double reembedded = services.embeddedChunks() - afterCreate;
        return new BenchFigures()
                .targeted("chunks re-embedded by a one-paragraph update", reembedded, "chunks", "= 1", reembedded == 1)
                .anchored("update -> indexed", updateMillis, "ms", "create of the same document -> indexed",
                        createMillis, null, null)
                .plain("chunks in the document", chunks, "chunks")
                .plain("chunks embedded by the create", afterCreate - before, "chunks")
                .detail("documentId", id);
    }
}
