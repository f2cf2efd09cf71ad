package io.docstream.cli.bench;

import io.docstream.cli.bench.BenchFigures.Figure;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of every bench run, one shape whichever scenarios ran: the run's settings, then per scenario
 * its duration, headline figures (value, unit, anchor, ratio, target, met), the service JVM's memory while it
 * ran, and the details only that scenario has.
 */
record BenchReport(Settings settings, Map<String, ScenarioResult> scenarios) {

    /** Where the services were, the options of the run, and the machine it ran on. */
    record Settings(String queryUrl, String ingestUrl, String indexerUrl, String invalidatorUrl, String redisUri,
            String model, String nonce, long seed, int documents, int connections, String loadGenerator,
            long loadDurationSeconds, int queries, long freshnessDurationSeconds, Long servicePid,
            int availableProcessors, String java) {
    }

    record ScenarioResult(Double seconds, List<Figure> figures, Memory memory, ScenarioDetails details) {
    }

    /** Resident memory of the service JVM in MB: the largest sample while the scenario ran, and VmHWM at its end. */
    record Memory(Long pid, Double maxRssMbDuringScenario, Double peakRssMbVmHWM) {
    }

    /** What a scenario reports beyond its headline figures. */
    sealed interface ScenarioDetails permits IngestBenchmark.Details, ReplayBenchmark.Details,
            UpdateBenchmark.Details, CachedSearchBenchmark.Details, UncachedSearchBenchmark.Details,
            FreshnessBenchmark.Details, CacheReport, BenchSuite.MemoryDetails {
    }
}
