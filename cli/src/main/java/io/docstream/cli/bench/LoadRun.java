package io.docstream.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one load run measured, whichever generator ran it. */
record LoadRun(String generator, long requests, long errors, double seconds, double p50Millis, double p99Millis) {

    static LoadRun of(LoadGenerator.Result result) {
        return new LoadRun("java", result.requests(), result.errors(), result.seconds(),
                result.latencies().percentileMillis(50), result.latencies().percentileMillis(99));
    }

    double requestsPerSecond() {
        return requests / seconds;
    }

    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("generator", generator);
        summary.put("requests", requests);
        summary.put("requestsPerSecond", BenchFigures.round(requestsPerSecond()));
        summary.put("p50Ms", BenchFigures.round(p50Millis));
        summary.put("p99Ms", BenchFigures.round(p99Millis));
        summary.put("errors", errors);
        summary.put("seconds", BenchFigures.round(seconds));
        return summary;
    }
}
