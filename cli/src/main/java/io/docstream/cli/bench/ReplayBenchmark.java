package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchCommand.BenchException;
import io.docstream.cli.bench.BenchServices.Doc;
import io.docstream.cli.bench.IngestBenchmark.Ingested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The replay scenario: re-indexes a corpus that was just ingested cold (so every chunk is in the embedding
 * cache) through the indexer's replay API, from the time its ingest started, and compares the throughput with
 * that cold ingest. The replay must embed nothing: the indexer's embedding cache misses must not grow. A replay
 * of a few hundred documents would mostly measure the indexer's restart, so the corpus is first topped up to
 * the replay size with copies of the cold documents under new ids: the same texts, so their chunks are in the
 * cache and topping up embeds nothing either, while the replay writes every copy like any other document.
 */
final class ReplayBenchmark {

    private static final String PATH = "/api/v1/admin/replay";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final BenchServices services;

    /** The indexer's last replay status as it answered, and how to read the rate. */
    record Details(JsonNode replayStatus, String note) implements BenchReport.ScenarioDetails {
    }

    ReplayBenchmark(BenchServices services) {
        this.services = services;
    }

    /** Posts copies of the cold corpus under new ids until it has {@code size} documents; returns how many. */
    private int topUp(Ingested cold, int size) throws InterruptedException {
        List<Doc> originals = cold.documents();
        int copies = Math.max(0, size - originals.size());
        if (copies == 0) {
            return 0;
        }
        List<Doc> documents = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            Doc original = originals.get(i % originals.size());
            documents.add(new Doc(original.id() + "-copy" + (1 + i / originals.size()), original.title(),
                    original.body(), original.metadata()));
        }
        services.out.printf(Locale.ROOT, "  topping the corpus up to %d documents with %d copies of it (cached chunks,"
                + " nothing to embed) ...%n", size, copies);
        services.awaitIndexed(services.post(documents), "indexed");
        return copies;
    }

    BenchFigures run(Ingested cold, int replayDocuments) throws InterruptedException {
        int copies = topUp(cold, replayDocuments);
        double embeddedBefore = services.embeddedChunks();
        Instant from = cold.startedAt().minusMillis(500);
        Map<String, Object> body = Map.of("from", from.toString(), "stopIndexer", true);
        services.out.printf(Locale.ROOT, "  replaying the documents topic from %s (the cold ingest of %d documents and"
                + " %d copies) ...%n", from, cold.documents().size(), copies);
        long start = System.nanoTime();
        JsonNode status = services.indexer.post(PATH, body, 202);
        long deadline = start + TIMEOUT.toNanos();
        while ("running".equals(status.path("state").asString())) {
            services.progress("records", status.path("records").asLong(), status.path("total").asLong(), "");
            if (System.nanoTime() > deadline) {
                throw new BenchException("the replay did not finish within " + TIMEOUT.toMinutes() + " min");
            }
            Thread.sleep(100);
            status = services.indexer.get(PATH, 0);
        }
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        services.progress("records", status.path("records").asLong(), status.path("total").asLong(), "");
        services.out.println();
        if (!"done".equals(status.path("state").asString())) {
            throw new BenchException("the replay ended " + status.path("state").asString() + ": "
                    + status.path("error").asString(""));
        }
        double embedded = services.embeddedChunks() - embeddedBefore;
        long records = status.path("records").asLong();
        double serverSeconds = Duration.between(Instant.parse(status.path("startedAt").asString()),
                Instant.parse(status.path("finishedAt").asString())).toNanos() / 1e9;
        double replayRate = records / serverSeconds;
        double speedUp = replayRate / cold.docsPerSecond();
        return new BenchFigures()
                .compared("replay (indexer's start -> done)", replayRate, "docs/s", "cold ingest of the same corpus",
                        cold.docsPerSecond(), "replay / cold", speedUp, ">= 20x", BenchFigures.atLeast(speedUp, 20))
                .targeted("chunks embedded during the replay (indexer metric)", embedded, "chunks", "= 0",
                        embedded == 0)
                .plain("chunks embedded (replay status)", status.path("embeddedChunks").asDouble(), "chunks")
                .plain("replay, client wall time incl. stopping the indexer", records / wallSeconds, "docs/s")
                .plain("records replayed", records, "records")
                .plain("of them copies of the cold corpus", copies, "documents")
                .details(new Details(status, "the replay rate is the indexer's records / (finishedAt - startedAt);"
                        + " the watcher that marks it done checks every docstream.replay.check-interval (1 s by"
                        + " default), which bounds the rate a small corpus can show"));
    }
}
