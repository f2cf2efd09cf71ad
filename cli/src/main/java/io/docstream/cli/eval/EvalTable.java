package io.docstream.cli.eval;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The eval report as a terminal table: one row per mode, then the ingest figures. */
final class EvalTable {

    private EvalTable() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> report, PrintStream out) {
        out.printf(Locale.ROOT, "%-16s %8s %10s %8s %8s %8s %8s %8s%n", "mode", "nDCG@10", "Recall@100", "MRR@10",
                "p50 ms", "p99 ms", "degraded", "queries");
        Map<String, Object> modes = (Map<String, Object>) report.get("modes");
        modes.forEach((label, value) -> {
            Map<String, Object> mode = (Map<String, Object>) value;
            out.printf(Locale.ROOT, "%-16s %8.4f %10.4f %8.4f %8.1f %8.1f %8d %8d%n", label, mode.get("ndcg@10"),
                    mode.get("recall@100"), mode.get("mrr@10"), mode.get("latencyP50Ms"), mode.get("latencyP99Ms"),
                    mode.get("degraded"), mode.get("queries"));
        });
        Map<String, Object> ingest = (Map<String, Object>) report.get("ingest");
        out.println();
        out.printf(Locale.ROOT, "Ingest: %s documents%s in %s s (%s docs/s, first POST to last indexed)%n",
                ingest.get("documents"), ingest.get("chunks") == null ? "" : ", " + ingest.get("chunks") + " chunks",
                ingest.get("seconds"), ingest.get("docsPerSecond"));
    }
}
