package io.docstream.schemas.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LatencyBucketsTests {

    @Test
    void putsALatencyInTheFirstBucketWhoseBoundHoldsIt() {
        assertThat(LatencyBuckets.index(0)).isZero();
        assertThat(LatencyBuckets.index(500)).isZero();
        assertThat(LatencyBuckets.index(501)).isEqualTo(1);
        assertThat(LatencyBuckets.index(7_500)).isEqualTo(5);
        assertThat(LatencyBuckets.index(60_000_000)).isEqualTo(LatencyBuckets.SIZE - 1);
    }

    @Test
    void readsAQuantileAsTheBoundOfItsBucket() {
        long[] counts = new long[LatencyBuckets.SIZE];
        counts[LatencyBuckets.index(2_000)] = 90;   // 90 searches within 2 ms
        counts[LatencyBuckets.index(40_000)] = 9;   // 9 within 50 ms
        counts[LatencyBuckets.index(900_000)] = 1;  // 1 within 1 s

        assertThat(LatencyBuckets.quantileMillis(counts, 0.5)).isEqualTo(2.0);
        assertThat(LatencyBuckets.quantileMillis(counts, 0.95)).isEqualTo(50.0);
        assertThat(LatencyBuckets.quantileMillis(counts, 0.999)).isEqualTo(1000.0);
        assertThat(LatencyBuckets.quantileMillis(new long[LatencyBuckets.SIZE], 0.95)).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> LatencyBuckets.quantileMillis(counts, 1.5));
    }

    @Test
    void addsCountsOfWindowsBucketByBucket() {
        long[] a = new long[LatencyBuckets.SIZE];
        long[] b = new long[LatencyBuckets.SIZE];
        a[3] = 2;
        b[3] = 5;
        b[7] = 1;

        long[] sum = LatencyBuckets.add(a, b);

        assertThat(sum[3]).isEqualTo(7);
        assertThat(sum[7]).isEqualTo(1);
        assertThat(LatencyBuckets.add(new long[0], b)).containsExactly(b);
    }
}
