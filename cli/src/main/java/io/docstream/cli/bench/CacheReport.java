package io.docstream.cli.bench;

import java.util.Map;

/**
 * The cache scenario's details: the workload, the anchors of the same run, which layer answered the searches and
 * how fast (client side), the query API's cache requests by layer (server side), the invalidation lag, and ratios.
 */
record CacheReport(Workload workload, Anchors anchors, Client client, Freshness freshness, L2Values l2Values,
        Server server, InvalidationLag invalidationLag, Map<String, Double> ratios)
        implements BenchReport.ScenarioDetails {

    record Workload(long durationSeconds, int readers, double writeFraction, double documentReadFraction, String mode,
            int k, int documents, int distinctQueries, double zipfExponent) {
    }

    record Anchors(Latencies.Summary redisPing, Latencies.Summary httpInfo, Latencies.Summary writeToSearchable) {
    }

    /** As the workload's clients saw it, by the search answer's {@code cache} field. */
    record Client(long searches, int documentReads, int writes, long errors, Double hitRate, SearchLayers searchByLayer,
            Latencies.Summary documentRead) {
    }

    record SearchLayers(Layer l1, Layer l2, Layer miss) {
    }

    /** Searches one layer answered: their latencies and their share of all searches. */
    record Layer(int count, Double p50Ms, Double p99Ms, Double share) {
    }

    /**
     * Cached answers checked against a fresh evaluation of the same search ({@code Cache-Control: no-cache}) asked
     * right after: version-stale when a result is older than a version the workload had seen indexed before it sent
     * the cached request; set-stale when the ids of the two pages differ.
     */
    record Freshness(long checked, long versionStale, long setStale, Double versionStaleShare, Double setStaleShare) {
    }

    /** Cached search pages sampled in Redis: mean bytes stored, mean bytes of the Smile inside, and their ratio. */
    record L2Values(int sampled, Double storedBytesMean, Double smileBytesMean, Double compression) {
    }

    /** The growth of query-api's {@code docstream_cache_requests_total} per cache during the workload. */
    record Server(CacheRequests search, CacheRequests embedding, CacheRequests document) {
    }

    record CacheRequests(LayerRequests l1, LayerRequests l2, LayerRequests origin, Double hitRate) {
    }

    record LayerRequests(long requests, Double share) {
    }

    record InvalidationLag(long invalidations, Double meanMs, Double p50Ms, Double p99Ms, Double maxMs, String source) {
    }
}
