package io.docstream.cli.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The cache scenario's details as the terminal shows them; the JSON report holds the same figures. */
final class CacheReportTable {

    private CacheReportTable() {
    }

    static void print(CacheReport report, PrintStream out) {
        CacheReport.Anchors anchors = report.anchors();
        CacheReport.Client client = report.client();
        CacheReport.Server server = report.server();
        CacheReport.InvalidationLag lag = report.invalidationLag();

        out.println("Anchors (same run)                 count     p50 ms     p99 ms");
        row(out, "Redis PING round trip", anchors.redisPing());
        row(out, "GET /actuator/info (bare HTTP)", anchors.httpInfo());
        row(out, "update -> reported indexed", anchors.writeToSearchable());
        out.println();

        out.printf(Locale.ROOT, "Searches answered by layer (response 'cache' field): %s searches, hit rate %s,"
                + " errors %s%n", client.searches(), percent(client.hitRate()), client.errors());
        out.println("  layer                            count     p50 ms     p99 ms    share");
        layer(out, "l1", client.searchByLayer().l1());
        layer(out, "l2", client.searchByLayer().l2());
        layer(out, "miss", client.searchByLayer().miss());
        row(out, "  document reads (any layer)", client.documentRead());
        out.println();

        CacheReport.Freshness freshness = report.freshness();
        out.printf(Locale.ROOT, "Cached answers checked against a fresh evaluation (Cache-Control: no-cache): %d,"
                        + " version-stale %d (%s), set-stale %d (%s), of which unlike the evaluation just before too %d"
                        + " (%s)%n", freshness.checked(), freshness.versionStale(),
                percent(freshness.versionStaleShare()), freshness.setStale(), percent(freshness.setStaleShare()),
                freshness.setStaleBothSides(), percent(freshness.setStaleBothSidesShare()));
        CacheReport.L2Values values = report.l2Values();
        out.printf(Locale.ROOT, "Search pages in Redis (sample of %d): %s bytes stored on average, %s bytes of Smile"
                + " inside (%sx)%n", values.sampled(), number(values.storedBytesMean()), number(values.smileBytesMean()),
                number(values.compression()));
        out.println();

        out.println("Cache requests by layer (query-api docstream_cache_requests_total, this run)");
        out.printf(Locale.ROOT, "  %-10s %18s %18s %18s %9s%n", "cache", "l1", "l2", "origin", "hit rate");
        requests(out, "search", server.search());
        requests(out, "embedding", server.embedding());
        requests(out, "document", server.document());
        out.println();

        out.printf(Locale.ROOT, "Invalidation lag (DocumentIndexed -> L1 eviction, docstream_cache_invalidation_lag):"
                        + " p50 %s ms, p99 %s ms, mean %s ms, max %s ms over %s invalidations%n",
                number(lag.p50Ms()), number(lag.p99Ms()), number(lag.meanMs()), number(lag.maxMs()),
                lag.invalidations());
        out.println();
        out.println("Ratios (p50 over p50, same run)");
        report.ratios().forEach((name, value) -> out.printf(Locale.ROOT, "  %-52s %s%n", name, number(value)));
        if (report.phases() != null && !report.phases().isEmpty()) {
            out.println();
            out.println("Phases (same corpus; hit rate over the same scheme without writes; freshness checks: s-both = set-stale"
                    + " against the fresh evaluations just before and just after)");
            out.printf(Locale.ROOT, "  %-10s %6s %8s %8s %8s %8s %8s %8s %8s %8s  %s%n", "scheme", "writes",
                    "hit rate", "vs 0%", "l1 p50", "miss p50", "checked", "v-stale", "s-stale", "s-both", "revalidations");
            for (CacheReport.Phase phase : report.phases()) {
                out.printf(Locale.ROOT, "  %-10s %5.0f%% %8s %8s %8s %8s %8d %8d %8s %8s  %s%n", phase.scheme(),
                        phase.writeFraction() * 100, percent(phase.hitRate()), number(phase.hitRateOverNoWrites()),
                        number(phase.l1P50Ms()), number(phase.missP50Ms()), phase.checked(), phase.versionStale(),
                        percent(phase.setStaleShare()), percent(phase.setStaleBothSidesShare()),
                        phase.revalidations().outcomes());
            }
            CacheReport.Revalidations first = report.phases().getFirst().revalidations();
            out.printf(Locale.ROOT, "Dependencies of a cached search page (%s): %s bytes on average over %d pages"
                    + " computed (candidate lists; shared ids excluded)%n", first.scheme(),
                    number(first.dependencyBytesMean()), first.pagesComputed());
        }
    }

    private static void row(PrintStream out, String label, Latencies.Summary latency) {
        out.printf(Locale.ROOT, "%-32s %7s %10s %10s%n", label, latency.count(), number(latency.p50Ms()),
                number(latency.p99Ms()));
    }

    private static void layer(PrintStream out, String name, CacheReport.Layer layer) {
        out.printf(Locale.ROOT, "  %-30s %7s %10s %10s %8s%n", name, layer.count(), number(layer.p50Ms()),
                number(layer.p99Ms()), percent(layer.share()));
    }

    private static void requests(PrintStream out, String cache, CacheReport.CacheRequests requests) {
        out.printf(Locale.ROOT, "  %-10s %18s %18s %18s %9s%n", cache, share(requests.l1()), share(requests.l2()),
                share(requests.origin()), percent(requests.hitRate()));
    }

    private static String share(CacheReport.LayerRequests layer) {
        return percent(layer.share()) + " (" + layer.requests() + ")";
    }

    private static String percent(Double value) {
        return value != null ? String.format(Locale.ROOT, "%.1f%%", value * 100) : "n/a";
    }

    private static String number(Double value) {
        return value != null ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
    }
}
