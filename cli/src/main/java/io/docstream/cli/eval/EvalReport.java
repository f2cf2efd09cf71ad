package io.docstream.cli.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of an eval run. Its field names are what the docs and the build's quality floor read
 * ({@code /modes/<mode>/ndcg@10}, {@code /queries/<i>/firstRelevantRank/<mode>}, ...), so they are fixed here.
 */
record EvalReport(String startedAt, Settings settings,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double runtimeStartSeconds, Ingest ingest,
        Map<String, ModeFigures> modes, List<QueryRanks> queries, double wallSeconds) {

    /** What was measured where: {@code target} is a private embedded runtime or a deployment. */
    record Settings(String target, String ingestUrl, String queryUrl, String model, Map<String, String> properties,
            String corpus, String queries, String qrels, List<String> modes, int k, int limitQueries, String idPrefix,
            int concurrency, int batchSize, int cores) {
    }

    /** The corpus from first POST to last indexed; {@code chunks} is null without the indexer's counters. */
    record Ingest(int documents, double postSeconds, double seconds, double docsPerSecond, Long chunks,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long chunkLookups) {
    }

    /** One mode's averaged metrics, latency of its uncached answers, and which cache layers answered. */
    record ModeFigures(String mode, String fusion, int queries, int answered, @JsonProperty("ndcg@10") double ndcg10,
            @JsonProperty("recall@100") double recall100, @JsonProperty("mrr@10") double mrr10, double latencyP50Ms,
            double latencyP99Ms, int latencySamples, Map<String, Integer> cache, int degraded) {
    }

    /** A judged query, its relevant documents and the rank of the first one per mode (null: not in the top k). */
    record QueryRanks(String id, String text, List<String> relevant, Map<String, Integer> firstRelevantRank) {
    }
}
