package io.docstream.cli.eval;

import java.io.PrintStream;
import java.util.Locale;

/** The eval report as a terminal table: one row per mode, then the ingest figures. */
final class EvalTable {

    private EvalTable() {
    }

    static void print(EvalReport report, PrintStream out) {
        out.printf(Locale.ROOT, "%-16s %8s %10s %8s %8s %8s %8s %8s%n", "mode", "nDCG@10", "Recall@100", "MRR@10",
                "p50 ms", "p99 ms", "degraded", "queries");
        report.modes().forEach((label, mode) -> out.printf(Locale.ROOT, "%-16s %8.4f %10.4f %8.4f %8.1f %8.1f %8d %8d%n",
                label, mode.ndcg10(), mode.recall100(), mode.mrr10(), mode.latencyP50Ms(), mode.latencyP99Ms(),
                mode.degraded(), mode.queries()));
        EvalReport.Ingest ingest = report.ingest();
        out.println();
        out.printf(Locale.ROOT, "Ingest: %s documents%s in %s s (%s docs/s, first POST to last indexed)%n",
                ingest.documents(), ingest.chunks() == null ? "" : ", " + ingest.chunks() + " chunks",
                ingest.seconds(), ingest.docsPerSecond());
    }
}
