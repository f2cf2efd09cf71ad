package io.docstream.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency samples in nanoseconds, kept whole (a benchmark run holds at most some hundred thousand). */
final class Latencies {

    private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());

    /** Count and p50/p99 in milliseconds, as the JSON report holds them (null without samples). */
    record Summary(int count, Double p50Ms, Double p99Ms) {
    }

    void record(long nanos) {
        samples.add(nanos);
    }

    int count() {
        return samples.size();
    }

    /** The nearest-rank percentile in milliseconds, or NaN without samples. */
    double percentileMillis(double percentile) {
        List<Long> sorted;
        synchronized (samples) {
            sorted = new ArrayList<>(samples);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }

    Summary summary() {
        return new Summary(count(), BenchFigures.round(percentileMillis(50)), BenchFigures.round(percentileMillis(99)));
    }
}
