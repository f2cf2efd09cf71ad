package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusSamplesTests {

    private static final String SCRAPE = """
            # HELP docstream_cache_requests_total Cache lookups by layer
            # TYPE docstream_cache_requests_total counter
            docstream_cache_requests_total{application="docstream-query-api",cache="search",layer="l1"} 40.0
            docstream_cache_requests_total{application="docstream-query-api",cache="search",layer="origin"} 10.0
            docstream_cache_requests_total{application="docstream-query-api",cache="document",layer="l1"} 7.0
            # TYPE docstream_cache_invalidation_lag_seconds summary
            docstream_cache_invalidation_lag_seconds{application="docstream-query-api",quantile="0.5"} 0.012
            docstream_cache_invalidation_lag_seconds{application="docstream-query-api",quantile="0.99"} 0.2
            docstream_cache_invalidation_lag_seconds_count{application="docstream-query-api"} 25
            docstream_cache_invalidation_lag_seconds_bucket{le="+Inf"} 25
            jvm_threads_live_threads 31.0
            """;

    @Test
    void sumsTheSamplesCarryingTheGivenLabels() {
        PrometheusSamples samples = PrometheusSamples.parse(SCRAPE);

        assertThat(samples.sum("docstream_cache_requests_total", Map.of("cache", "search"))).isEqualTo(50.0);
        assertThat(samples.sum("docstream_cache_requests_total", Map.of("cache", "search", "layer", "l1")))
                .isEqualTo(40.0);
        assertThat(samples.sum("docstream_cache_requests_total", Map.of())).isEqualTo(57.0);
        assertThat(samples.sum("jvm_threads_live_threads", Map.of())).isEqualTo(31.0);
    }

    @Test
    void readsQuantilesAndAnswersNothingForAMissingMetric() {
        PrometheusSamples samples = PrometheusSamples.parse(SCRAPE);

        assertThat(samples.first("docstream_cache_invalidation_lag_seconds", Map.of("quantile", "0.99")))
                .isEqualTo(0.2);
        assertThat(samples.first("docstream_cache_invalidation_lag_seconds", Map.of("quantile", "0.9"))).isNaN();
        assertThat(samples.sum("docstream_redis_errors_total", Map.of())).isZero();
        assertThat(samples.has("docstream_cache_invalidation_lag_seconds_count")).isTrue();
    }

    @Test
    void estimatesAQuantileFromTheHistogramsGrowthBetweenTwoScrapes() {
        PrometheusSamples before = PrometheusSamples.parse("""
                lag_seconds_bucket{le="0.01"} 100
                lag_seconds_bucket{le="0.1"} 100
                lag_seconds_bucket{le="1.0"} 100
                lag_seconds_bucket{le="+Inf"} 100
                """);
        PrometheusSamples after = PrometheusSamples.parse("""
                lag_seconds_bucket{le="0.01"} 150
                lag_seconds_bucket{le="0.1"} 190
                lag_seconds_bucket{le="1.0"} 200
                lag_seconds_bucket{le="+Inf"} 200
                """);

        assertThat(after.histogramQuantile(before, "lag_seconds", 0.5)).isCloseTo(0.01, within(1e-9));
        assertThat(after.histogramQuantile(before, "lag_seconds", 0.7)).isCloseTo(0.055, within(1e-9));
        assertThat(after.histogramQuantile(before, "lag_seconds", 0.99)).isCloseTo(0.91, within(1e-9));
        assertThat(before.histogramQuantile(before, "lag_seconds", 0.5)).isNaN();
    }

    @Test
    void histogramQuantileSumsTheBucketsOfEveryTenantBeforeTakingTheGrowth() {
        // Tenant a grew by 0 documents, tenant b by 4: 2 within 0.1 s, 2 more within 1 s.
        PrometheusSamples before = PrometheusSamples.parse("""
                freshness_seconds_bucket{tenant="a",le="0.1"} 10
                freshness_seconds_bucket{tenant="a",le="1.0"} 20
                freshness_seconds_bucket{tenant="a",le="+Inf"} 20
                freshness_seconds_bucket{tenant="b",le="0.1"} 1
                freshness_seconds_bucket{tenant="b",le="1.0"} 1
                freshness_seconds_bucket{tenant="b",le="+Inf"} 1
                """);
        PrometheusSamples after = PrometheusSamples.parse("""
                freshness_seconds_bucket{tenant="a",le="0.1"} 10
                freshness_seconds_bucket{tenant="a",le="1.0"} 20
                freshness_seconds_bucket{tenant="a",le="+Inf"} 20
                freshness_seconds_bucket{tenant="b",le="0.1"} 3
                freshness_seconds_bucket{tenant="b",le="1.0"} 5
                freshness_seconds_bucket{tenant="b",le="+Inf"} 5
                """);

        // Growth: 2 at le 0.1, 4 at le 1.0. p50 = rank 2 -> 0.1; p75 = rank 3 -> 0.1 + 0.9 * (3 - 2) / 2 = 0.55.
        assertThat(after.histogramQuantile(before, "freshness_seconds", 0.5)).isCloseTo(0.1, within(1e-9));
        assertThat(after.histogramQuantile(before, "freshness_seconds", 0.75)).isCloseTo(0.55, within(1e-9));
    }
}
