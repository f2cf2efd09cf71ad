package io.docstream.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cache scenario's details: the workload, the anchors of the same run, which layer answered the searches and
 * how fast (client side), the query API's cache requests by layer (server side), the invalidation lag, and ratios.
 */
record CacheReport(Workload workload, Anchors anchors, Client client, Freshness freshness, L2Values l2Values,
        Server server, InvalidationLag invalidationLag, Map<String, Double> ratios, Revalidations revalidations,
        List<Phase> phases)
        implements BenchReport.ScenarioDetails {

    /** This report with every phase of the run summarised. */
    CacheReport withPhases(List<Phase> all) {
        return new CacheReport(workload, anchors, client, freshness, l2Values, server, invalidationLag, ratios,
                revalidations, List.copyOf(all));
    }

    /**
     * The search invalidation scheme of the phase, and the query API's judgements of cached pages computed at an
     * older tenant generation ({@code docstream_cache_search_revalidations_total} growth by outcome); the pages cached
     * and the mean bytes of their dependencies ({@code docstream_cache_search_dependencies_bytes}).
     */
    record Revalidations(String scheme, Map<String, Long> outcomes, long pagesComputed, Double dependencyBytesMean) {
    }

    /**
     * One phase of the run: scheme, write fraction, search hit rate and its ratio to the same scheme's phase without
     * writes, L1-hit and miss p50, freshness check counts, and the revalidations.
     */
    record Phase(String scheme, double writeFraction, Double hitRate, Double hitRateOverNoWrites, Double l1P50Ms,
            Double missP50Ms, long checked, long versionStale, long setStale, Double setStaleShare,
            Double setStaleBothSidesShare, Revalidations revalidations) {

        static Phase of(String scheme, CacheReport report) {
            return new Phase(scheme, report.workload().writeFraction(), report.client().hitRate(), null,
                    report.client().searchByLayer().l1().p50Ms(), report.client().searchByLayer().miss().p50Ms(),
                    report.freshness().checked(), report.freshness().versionStale(), report.freshness().setStale(),
                    report.freshness().setStaleShare(), report.freshness().setStaleBothSidesShare(),
                    report.revalidations());
        }

        /** Each phase with its hit rate over that of its scheme's phase without writes, when the run had one. */
        static List<Phase> againstNoWrites(List<Phase> phases) {
            List<Phase> result = new ArrayList<>();
            for (Phase phase : phases) {
                Double base = phases.stream().filter(other -> other.scheme().equals(phase.scheme())
                        && other.writeFraction() == 0 && other.hitRate() != null && other.hitRate() > 0)
                        .map(Phase::hitRate).findFirst().orElse(null);
                Double ratio = base == null || phase.hitRate() == null ? null
                        : Math.round(phase.hitRate() / base * 1000) / 1000.0;
                result.add(new Phase(phase.scheme(), phase.writeFraction(), phase.hitRate(), ratio, phase.l1P50Ms(),
                        phase.missP50Ms(), phase.checked(), phase.versionStale(), phase.setStale(),
                        phase.setStaleShare(), phase.setStaleBothSidesShare(), phase.revalidations()));
            }
            return List.copyOf(result);
        }
    }

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
     * the cached request; set-stale when the ids of the two pages differ; set-stale on both sides when they also
     * differ from a fresh evaluation asked right before (so no concurrent change explains the difference).
     */
    record Freshness(long checked, long versionStale, long setStale, Double versionStaleShare, Double setStaleShare,
            long setStaleBothSides, Double setStaleBothSidesShare) {
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
