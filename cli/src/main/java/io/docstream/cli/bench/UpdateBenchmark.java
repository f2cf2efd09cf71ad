package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchServices.Doc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The update scenario: a document of many paragraphs is created, then one paragraph is changed; the indexer's
 * embedding cache misses must grow by exactly one. Paragraphs are chunk boundaries, but a short paragraph can
 * share a chunk with its neighbour and a long one can take two, so the new paragraph is drawn until the
 * services' chunker (the benchmark's copy of it) sees exactly one chunk change: the figure then measures the
 * embedding cache, not the luck of the draw. The create → indexed time of the same document is the anchor of
 * the update → indexed time.
 */
final class UpdateBenchmark {

    private static final int PARAGRAPHS = 12;
    private static final int WORDS_PER_PARAGRAPH = 60;
    private static final int DRAWS = 100;

    private final BenchServices services;

    /** The document changed, and how many paragraphs were drawn until one changed exactly one chunk. */
    record Details(String documentId, int paragraphDraws) implements BenchReport.ScenarioDetails {
    }
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
        Edit edit = oneChunkChanged(created, paragraphs, changed, random, nonce);
        Doc updated = edit.document();
        services.out.printf(Locale.ROOT, "  changing paragraph %d of %d (draw %d changes one chunk) ...%n",
                changed + 1, PARAGRAPHS, edit.draws());
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
                .details(new Details(id, edit.draws()));
    }

    private record Edit(Doc document, int draws) {
    }

    /** The document with paragraph {@code changed} redrawn until exactly one of its chunks differs. */
    private Edit oneChunkChanged(Doc created, List<String> paragraphs, int changed, Random random, String nonce) {
        Set<String> before = new HashSet<>();
        model.chunks(created).forEach(chunk -> before.add(chunk.hash()));
        List<String> edited = new ArrayList<>(paragraphs);
        for (int draw = 0; draw < DRAWS; draw++) {
            edited.set(changed, corpus.body(random, WORDS_PER_PARAGRAPH, nonce + "-v2-" + draw));
            Doc updated = new Doc(created.id(), created.title(), String.join("\n\n", edited), created.metadata());
            if (model.chunks(updated).stream().filter(chunk -> !before.contains(chunk.hash())).count() == 1) {
                return new Edit(updated, draw + 1);
            }
        }
        throw new IllegalStateException("no paragraph of " + DRAWS + " drawn changes exactly one chunk of "
                + created.id());
    }
}
