package io.docstream.cli.bench;

/** What one load run measured, whichever generator ran it. */
record LoadRun(String generator, long requests, long errors, double seconds, double p50Millis, double p99Millis) {

    /** The run as the JSON report holds it: rounded, with its rate. */
    record Summary(String generator, long requests, Double requestsPerSecond, Double p50Ms, Double p99Ms, long errors,
            Double seconds) {
    }

    static LoadRun of(LoadGenerator.Result result) {
        return new LoadRun("java", result.requests(), result.errors(), result.seconds(),
                result.latencies().percentileMillis(50), result.latencies().percentileMillis(99));
    }

    double requestsPerSecond() {
        return requests / seconds;
    }

    Summary summary() {
        return new Summary(generator, requests, BenchFigures.round(requestsPerSecond()), BenchFigures.round(p50Millis),
                BenchFigures.round(p99Millis), errors, BenchFigures.round(seconds));
    }
}
