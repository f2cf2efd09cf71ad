package io.docstream.cli.bench;

import io.docstream.cli.ServiceHttp;
import io.docstream.cli.ServiceHttp.Answer;
import java.util.List;
import java.util.Random;

/**
 * The uncached-search scenario: hybrid searches of distinct queries (fragments of the corpus drawn with the
 * run's seed, so no cache layer holds them), one at a time, against the sum of what their parts cost alone.
 * <p>
 * From outside, "alone" is measured per query as: the query's embedding by the same model in the benchmark's
 * JVM; plus a keyword-mode search of the same query (BM25 alone, its own search-cache miss, no embedding);
 * plus a semantic-mode search of the same query (the dense query alone: its own search-cache miss, but the
 * query's vector is by then in the embedding cache, so no model call); minus one bare HTTP round trip to the
 * query API, because both searches carry the HTTP and framework cost a single hybrid search pays once.
 */
final class UncachedSearchBenchmark {

    private static final int ANCHOR_SAMPLES = 100;

    private final BenchServices services;

    /** Latencies of each part, and how the anchor is defined. */
    record Details(Latencies.Summary hybrid, Latencies.Summary keyword, Latencies.Summary semanticWithCachedVector,
            Latencies.Summary queryEmbedding, Latencies.Summary aloneSum, String anchorDefinition)
            implements BenchReport.ScenarioDetails {
    }
    private final SyntheticCorpus corpus;
    private final ModelAnchor model;

    UncachedSearchBenchmark(BenchServices services, SyntheticCorpus corpus, ModelAnchor model) {
        this.services = services;
        this.corpus = corpus;
        this.model = model;
    }

    BenchFigures run(int queryCount, long seed) {
        List<String> queries = corpus.queries(new Random(seed), queryCount);
        Latencies bareHttp = new Latencies();
        for (int i = 0; i < ANCHOR_SAMPLES + 20; i++) {
            Answer info = services.query.exchange("/actuator/info");
            if (i >= 20 && info.status() == 200) {
                bareHttp.record(info.nanos());
            }
        }
        double bareMillis = bareHttp.percentileMillis(50);
        model.embedQuery("warm-up query");
        Latencies hybrid = new Latencies();
        Latencies keyword = new Latencies();
        Latencies semantic = new Latencies();
        Latencies embedding = new Latencies();
        Latencies alone = new Latencies();
        int cached = 0;
        int errors = 0;
        for (int i = 0; i < queries.size(); i++) {
            String query = queries.get(i);
            Answer h = search("hybrid", query);
            Answer k = search("keyword", query);
            Answer s = search("semantic", query);
            if (h.status() != 200 || k.status() != 200 || s.status() != 200) {
                errors++;
                continue;
            }
            if (!isMiss(h) || !isMiss(k) || !isMiss(s)) {
                cached++;
                continue;
            }
            long embed = model.embedQuery(query);
            hybrid.record(h.nanos());
            keyword.record(k.nanos());
            semantic.record(s.nanos());
            embedding.record(embed);
            alone.record(Math.max(0, embed + k.nanos() + s.nanos() - (long) (bareMillis * 1e6)));
            services.progress("queries", i + 1, queries.size(), "");
        }
        services.out.println();
        double p50 = hybrid.percentileMillis(50);
        double anchorP50 = alone.percentileMillis(50);
        double overhead = p50 / anchorP50 - 1;
        return new BenchFigures()
                .compared("uncached hybrid search p50", p50, "ms", "embedding + keyword + semantic alone, p50",
                        anchorP50, "figure / anchor - 1 (overhead)", overhead, "<= 25%",
                        BenchFigures.atMost(overhead, 0.25))
                .anchored("uncached hybrid search p99", hybrid.percentileMillis(99), "ms",
                        "embedding + keyword + semantic alone, p99", alone.percentileMillis(99), null, null)
                .plain("query embedding alone (benchmark JVM) p50", embedding.percentileMillis(50), "ms")
                .plain("keyword search alone p50", keyword.percentileMillis(50), "ms")
                .plain("semantic search, vector cached, p50", semantic.percentileMillis(50), "ms")
                .plain("bare HTTP round trip (GET /actuator/info) p50", bareMillis, "ms")
                .plain("queries measured", hybrid.count(), "queries")
                .plain("queries skipped (a cache answered, or an error)", cached + errors, "queries")
                .details(new Details(hybrid.summary(), keyword.summary(), semantic.summary(), embedding.summary(),
                        alone.summary(), "per query: embedding in the benchmark JVM + keyword-mode search"
                                + " + semantic-mode search with the query's vector already cached - one bare HTTP"
                                + " round trip (p50), each search a search-cache miss; percentiles of that per-query"
                                + " sum"));
    }

    private Answer search(String mode, String query) {
        return services.query.exchange("/api/v1/search?mode=" + mode + "&k=10&q=" + ServiceHttp.encode(query));
    }

    private static boolean isMiss(Answer answer) {
        return answer.json() != null && "miss".equals(answer.json().path("cache").asString(""));
    }
}
