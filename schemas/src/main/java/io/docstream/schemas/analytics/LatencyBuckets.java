package io.docstream.schemas.analytics;

import java.util.Arrays;
import java.util.Objects;

/**
 * The latency buckets of {@code search_stats.latency_buckets}: counts of searches whose latency was at most each
 * bound (and above the bound before), the last bucket open-ended. Fixed bounds make counts of any windows add up,
 * and a percentile is read as the bound of the bucket it falls in, as Prometheus histograms are.
 */
public final class LatencyBuckets {

    /** Upper bounds in microseconds: 0.5 ms to 10 s, about 1.5 times apart; then everything slower. */
    static final long[] BOUNDS_MICROS = { 500, 1_000, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000,
            50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000,
            3_000_000, 5_000_000, 10_000_000 };

    /** How many buckets a count array holds: one per bound and the open-ended one. */
    public static final int SIZE = BOUNDS_MICROS.length + 1;

    private LatencyBuckets() {
    }

    /** The bucket a latency falls in. */
    public static int index(long latencyMicros) {
        int found = Arrays.binarySearch(BOUNDS_MICROS, Math.max(0, latencyMicros));
        return found >= 0 ? found : -found - 1;
    }

    /** The upper bound of a bucket in milliseconds; the open-ended bucket reports its lower bound. */
    public static double boundMillis(int index) {
        return BOUNDS_MICROS[Math.min(index, BOUNDS_MICROS.length - 1)] / 1000.0;
    }

    /**
     * The {@code quantile} (0 to 1) of the searches counted in {@code counts}, in milliseconds: the bound of the
     * bucket where the cumulative count reaches that share; 0 when nothing was counted.
     */
    public static double quantileMillis(long[] counts, double quantile) {
        Objects.requireNonNull(counts, "counts");
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("quantile must be between 0 and 1, was " + quantile);
        }
        long total = Arrays.stream(counts).sum();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            if (cumulative >= Math.max(1, rank)) {
                return boundMillis(i);
            }
        }
        return boundMillis(counts.length - 1);
    }

    /** {@code a + b}, bucket by bucket; either may be shorter (no counts there). */
    public static long[] add(long[] a, long[] b) {
        long[] sum = new long[Math.max(SIZE, Math.max(a.length, b.length))];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
        }
        return sum;
    }
}
