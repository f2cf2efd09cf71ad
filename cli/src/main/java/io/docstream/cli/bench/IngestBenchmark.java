package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchServices.Doc;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ingest scenario: a corpus of fresh documents (unique ids, the run's nonce in every sentence, so the
 * embedding cache cannot answer) posted in batches and followed until every one is reported indexed, against
 * the same model embedding the same chunks in batches of the indexer's size in the benchmark's JVM.
 */
final class IngestBenchmark {

    /** A cold ingest: what the replay scenario re-indexes and the freshness scenario paces itself by. */
    record Ingested(List<Doc> documents, Instant startedAt, double docsPerSecond) {
    }

    private final BenchServices services;
    private final SyntheticCorpus corpus;
    private final ModelAnchor model;

    IngestBenchmark(BenchServices services, SyntheticCorpus corpus, ModelAnchor model) {
        this.services = services;
        this.corpus = corpus;
        this.model = model;
    }

    /** Ingests {@code count} fresh documents cold and measures docs/s from the first POST to the last indexed. */
    Ingested ingest(int count, String nonce, long seed, String idPrefix) throws InterruptedException {
        List<Doc> documents = corpus.documents(idPrefix + nonce + "-", count, nonce, seed);
        services.out.printf(Locale.ROOT, "  posting %d fresh documents of ~%d words (%s*) ...%n", count,
                SyntheticCorpus.WORDS, idPrefix + nonce + "-");
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Map<String, Long> versions = services.post(documents);
        long end = services.awaitIndexed(versions, "indexed");
        return new Ingested(documents, startedAt, count / ((end - start) / 1e9));
    }

    /** The scenario's figures, and the ingest itself for the scenarios that build on it. */
    record Measured(Ingested ingested, BenchFigures figures) {
    }

    record Details(String model, int embedBatchSize, Double ingestSeconds, Double anchorSeconds, String note)
            implements BenchReport.ScenarioDetails {
    }

    Measured run(int count, String nonce, long seed) throws InterruptedException {
        double embeddedBefore = services.embeddedChunks();
        Ingested result = ingest(count, nonce, seed, "bench-ingest-");
        double embedded = services.embeddedChunks() - embeddedBefore;

        List<String> texts = model.chunkTexts(result.documents());
        services.out.printf(Locale.ROOT, "  anchor: embedding the same %d chunks with %s in batches of %d here ...%n",
                texts.size(), model.modelId(), model.batchSize());
        model.embedAll(List.of("warm-up: the model's first call allocates its buffers"));
        double anchorSeconds = model.embedAll(texts) / 1e9;
        double anchor = count / anchorSeconds;
        double ratio = result.docsPerSecond() / anchor;
        return new Measured(result, new BenchFigures()
                .anchored("cold ingest, POST -> indexed", result.docsPerSecond(), "docs/s",
                        "raw batch embedding of the same chunks", anchor, ">= 0.8", BenchFigures.atLeast(ratio, 0.8))
                .plain("documents", count, "docs")
                .plain("chunks (benchmark's chunker)", texts.size(), "chunks")
                .plain("chunks embedded by the indexer", embedded, "chunks")
                .details(new Details(model.modelId(), model.batchSize(),
                        BenchFigures.round(count / result.docsPerSecond()), BenchFigures.round(anchorSeconds),
                        "cold: every sentence carries the run's nonce, so the indexer's embedding cache misses for"
                                + " every chunk (compare 'chunks embedded by the indexer' with the chunk count)")));
    }
}
