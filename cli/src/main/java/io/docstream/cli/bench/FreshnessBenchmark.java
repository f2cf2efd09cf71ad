package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchCommand.BenchException;
import io.docstream.cli.bench.BenchServices.Doc;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The freshness scenario: fresh documents written one by one at a constant rate (half the maximum ingest rate),
 * each followed from its acceptance (the 202) until it is reported indexed; with the invalidator's own
 * accepted → searchable histogram and query-api's invalidation lag histogram over the same interval.
 */
final class FreshnessBenchmark {

    private static final String FRESHNESS = "docstream_freshness_seconds";
    private static final String INVALIDATION_LAG = "docstream_cache_invalidation_lag_seconds";
    private static final String INVALIDATION_HOP = "docstream_cache_invalidation_hop_seconds";

    private final BenchServices services;
    private final SyntheticCorpus corpus;

    FreshnessBenchmark(BenchServices services, SyntheticCorpus corpus) {
        this.services = services;
        this.corpus = corpus;
    }

    private record Accepted(String id, long version, long acceptedAt) {
    }

    /** The client's own accepted-to-indexed latencies, and how they and the histograms were measured. */
    record Details(Latencies.Summary client, String note) implements BenchReport.ScenarioDetails {
    }

    BenchFigures run(double maxIngestRate, Duration duration, String nonce, long seed) throws InterruptedException {
        double rate = Math.max(0.5, maxIngestRate / 2);
        int count = Math.max(3, (int) Math.round(rate * duration.toNanos() / 1e9));
        List<Doc> documents = corpus.documents("bench-fresh-" + nonce + "-", count, nonce + "f", seed);
        services.out.printf(Locale.ROOT, "  writing %d documents at %.1f docs/s (half of %.1f) and following each"
                + " ...%n", count, rate, maxIngestRate);
        PrometheusSamples invalidatorBefore = services.scrape(services.invalidator);
        PrometheusSamples queryBefore = services.scrape(services.query);

        ConcurrentLinkedQueue<Accepted> pending = new ConcurrentLinkedQueue<>();
        Latencies freshness = new Latencies();
        AtomicInteger written = new AtomicInteger();
        Thread writer = Thread.ofPlatform().daemon(true).name("bench-fresh-writer").start(() -> {
            long start = System.nanoTime();
            long interval = (long) (1e9 / rate);
            for (int i = 0; i < documents.size(); i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long version = services.put(documents.get(i));
                pending.add(new Accepted(documents.get(i).id(), version, System.nanoTime()));
                written.incrementAndGet();
            }
        });
        int done = 0;
        while (done < count) {
            for (Accepted accepted : pending) {
                if (services.isIndexed(accepted.id(), accepted.version())) {
                    freshness.record(System.nanoTime() - accepted.acceptedAt());
                    pending.remove(accepted);
                    done++;
                }
            }
            services.progress("searchable", done, count, "  (" + written.get() + " written)");
            Thread.sleep(10);
            if (!writer.isAlive() && written.get() < count) {
                throw new BenchException("writing the freshness documents failed");
            }
        }
        writer.join();
        services.out.println();
        PrometheusSamples invalidatorAfter = invalidatorCaughtUp(services, invalidatorBefore, count);
        PrometheusSamples queryAfter = services.scrape(services.query);
        double p99 = freshness.percentileMillis(99);
        double serverP50 = invalidatorAfter.histogramQuantile(invalidatorBefore, FRESHNESS, 0.5) * 1000;
        double serverP99 = invalidatorAfter.histogramQuantile(invalidatorBefore, FRESHNESS, 0.99) * 1000;
        double lagP50 = CacheBenchmark.lagQuantile(queryBefore, queryAfter, INVALIDATION_LAG, 0.5) * 1000;
        double lagP99 = CacheBenchmark.lagQuantile(queryBefore, queryAfter, INVALIDATION_LAG, 0.99) * 1000;
        double invalidations = queryAfter.sum(INVALIDATION_LAG + "_count", Map.of())
                - queryBefore.sum(INVALIDATION_LAG + "_count", Map.of());
        return new BenchFigures()
                .anchored("accepted -> indexed p99 (client)", p99, "ms", "accepted -> indexed p50 (client)",
                        freshness.percentileMillis(50), "<= 1000 ms", BenchFigures.atMost(p99, 1000))
                .anchored("accepted -> searchable p99 (invalidator histogram)", serverP99, "ms",
                        "accepted -> searchable p50 (invalidator histogram)", serverP50, "<= 1000 ms",
                        BenchFigures.atMost(serverP99, 1000))
                .targeted("invalidation lag p99 (query-api histogram)", lagP99, "ms", "<= 100 ms",
                        BenchFigures.atMost(lagP99, 100))
                .plain("invalidation lag p50", lagP50, "ms")
                .plain("hop indexer -> invalidator p99", hop(queryAfter, "indexer-invalidator"), "ms")
                .plain("hop invalidator -> query-api by pub/sub p99", hop(queryAfter, "invalidator-instance-pubsub"),
                        "ms")
                .plain("hop invalidator -> query-api by topic p99", hop(queryAfter, "invalidator-instance-topic"),
                        "ms")
                .plain("invalidations", invalidations, "events")
                .plain("write rate", rate, "docs/s")
                .details(new Details(freshness.summary(), "client latencies run from the 202 to the first status"
                        + " poll that sees the version indexed (one poller, every pending document per round, ~10 ms"
                        + " pause); the histograms interpolate within their buckets (freshness: 100/250/500 ms,"
                        + " 1/2/5 s); the hops are query-api's p99 over its last minutes (the topic hop counts only"
                        + " events the pub/sub announcement did not bring first)"));
    }

    /** The p99 of one hop of the invalidation lag as query-api publishes it, in ms (NaN when it has none). */
    private static double hop(PrometheusSamples samples, String hop) {
        return samples.first(INVALIDATION_HOP, Map.of("hop", hop, "quantile", "0.99")) * 1000;
    }

    /**
     * The invalidator's metrics once it has recorded the freshness of {@code count} more documents: the status
     * the client polls says indexed as soon as the indexer committed, a moment before the invalidator has read
     * the {@code DocumentIndexed} event. Gives up after 30 s and returns what it has.
     */
    private static PrometheusSamples invalidatorCaughtUp(BenchServices services, PrometheusSamples before, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        double seenBefore = before.sum(FRESHNESS + "_count", Map.of());
        while (true) {
            PrometheusSamples now = services.scrape(services.invalidator);
            if (now.sum(FRESHNESS + "_count", Map.of()) - seenBefore >= count || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(50);
        }
    }
}
