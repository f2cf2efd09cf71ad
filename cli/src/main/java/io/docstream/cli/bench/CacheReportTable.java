package io.docstream.cli.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The cache benchmark's report as the terminal shows it; the JSON file holds the same figures. */
final class CacheReportTable {

    private CacheReportTable() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> report, PrintStream out) {
        Map<String, Object> anchors = (Map<String, Object>) report.get("anchors");
        Map<String, Object> client = (Map<String, Object>) report.get("client");
        Map<String, Object> server = (Map<String, Object>) report.get("server");
        Map<String, Object> lag = (Map<String, Object>) report.get("invalidationLag");
        Map<String, Object> ratios = (Map<String, Object>) report.get("ratios");

        out.println("Anchors (same run)                 count     p50 ms     p99 ms");
        row(out, "Redis PING round trip", (Map<String, Object>) anchors.get("redisPing"));
        row(out, "GET /actuator/info (bare HTTP)", (Map<String, Object>) anchors.get("httpInfo"));
        row(out, "update -> reported indexed", (Map<String, Object>) anchors.get("writeToSearchable"));
        out.println();

        out.printf(Locale.ROOT, "Searches answered by layer (response 'cache' field): %s searches, hit rate %s,"
                + " errors %s%n", client.get("searches"), percent(client.get("hitRate")), client.get("errors"));
        out.println("  layer                            count     p50 ms     p99 ms    share");
        Map<String, Object> layers = (Map<String, Object>) client.get("searchByLayer");
        for (String layer : List.of("l1", "l2", "miss")) {
            Map<String, Object> entry = (Map<String, Object>) layers.get(layer);
            out.printf(Locale.ROOT, "  %-30s %7s %10s %10s %8s%n", layer, entry.get("count"), number(entry.get("p50Ms")),
                    number(entry.get("p99Ms")), percent(entry.get("share")));
        }
        row(out, "  document reads (any layer)", (Map<String, Object>) client.get("documentRead"));
        out.println();

        out.println("Cache requests by layer (query-api docstream_cache_requests_total, this run)");
        out.printf(Locale.ROOT, "  %-10s %18s %18s %18s %9s%n", "cache", "l1", "l2", "origin", "hit rate");
        for (String cache : List.of("search", "embedding", "document")) {
            Map<String, Object> byLayer = (Map<String, Object>) server.get(cache);
            out.printf(Locale.ROOT, "  %-10s %18s %18s %18s %9s%n", cache,
                    share(byLayer.get("l1")), share(byLayer.get("l2")), share(byLayer.get("origin")),
                    percent(byLayer.get("hitRate")));
        }
        out.println();

        out.printf(Locale.ROOT, "Invalidation lag (DocumentIndexed -> L1 eviction, docstream_cache_invalidation_lag):"
                        + " p50 %s ms, p99 %s ms, mean %s ms, max %s ms over %s invalidations%n",
                number(lag.get("p50Ms")), number(lag.get("p99Ms")), number(lag.get("meanMs")), number(lag.get("maxMs")),
                lag.get("invalidations"));
        out.println();
        out.println("Ratios (p50 over p50, same run)");
        ratios.forEach((name, value) -> out.printf(Locale.ROOT, "  %-52s %s%n", name, number(value)));
    }

    private static void row(PrintStream out, String label, Map<String, Object> latency) {
        out.printf(Locale.ROOT, "%-32s %7s %10s %10s%n", label, latency.get("count"), number(latency.get("p50Ms")),
                number(latency.get("p99Ms")));
    }

    @SuppressWarnings("unchecked")
    private static String share(Object entry) {
        Map<String, Object> layer = (Map<String, Object>) entry;
        return percent(layer.get("share")) + " (" + layer.get("requests") + ")";
    }

    private static String percent(Object value) {
        return value instanceof Number number ? String.format(Locale.ROOT, "%.1f%%", number.doubleValue() * 100) : "n/a";
    }

    private static String number(Object value) {
        return value instanceof Number number ? String.format(Locale.ROOT, "%.3f", number.doubleValue()) : "n/a";
    }
}
