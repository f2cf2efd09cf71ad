package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import io.docstream.cli.SharedCacheRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code docstream bench cache} against the embedded runtime, briefly: the report holds every figure it promises. */
@ExtendWith(SharedCacheRuntime.Resolver.class)
class BenchCacheIntegrationTests {

    @Test
    void reportsHitRatesByLayerInvalidationLagAndAnchorsOfTheSameRun(SharedCacheRuntime shared) {
        Path report = shared.dataDir().resolve("cache-report.json");

        int exit = DocstreamCli.commandLine().execute("bench", "cache",
                "--ingest-url", shared.ingestUrl(), "--query-url", shared.queryUrls().getFirst(),
                "--redis-uri", shared.runtime().redisUri(), "--data-dir", shared.dataDir().toString(),
                "--duration", "PT5S", "--readers", "2", "--write-fraction", "0.05", "--check-fraction", "0.5",
                "--schemes", "selective,generation", "--warmup", "PT1S", "--report", report.toString());

        assertThat(exit).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(report.toFile()).at("/scenarios/cache/details");
        assertThat(json.at("/anchors/redisPing/count").asInt()).isEqualTo(300);
        assertThat(json.at("/anchors/httpInfo/p50Ms").asDouble()).isPositive();
        assertThat(json.at("/anchors/writeToSearchable/count").asInt()).isPositive();
        assertThat(json.at("/client/errors").asLong()).isZero();
        assertThat(json.at("/client/searchByLayer/l1/count").asInt()).as("repeated queries hit L1").isPositive();
        assertThat(json.at("/client/searchByLayer/miss/count").asInt()).isPositive();
        assertThat(json.at("/server/search/l1/requests").asLong()).isPositive();
        assertThat(json.at("/server/search/origin/requests").asLong()).isPositive();
        assertThat(json.at("/invalidationLag/invalidations").asLong()).as("invalidations seen by query-api")
                .isPositive();
        assertThat(json.at("/invalidationLag/p50Ms").isNumber()).isTrue();
        assertThat(json.at("/invalidationLag/p99Ms").isNumber()).isTrue();
        assertThat(json.at("/ratios/search_l1_p50_over_redis_ping_p50").isNumber()).isTrue();
        assertThat(json.at("/freshness/checked").asLong()).as("cached answers checked against fresh ones").isPositive();
        assertThat(json.at("/freshness/versionStale").asLong()).as("cached answers older than an indexed version")
                .isZero();
        assertThat(json.at("/phases/0/scheme").asString()).isEqualTo("selective");
        assertThat(json.at("/phases/1/scheme").asString()).isEqualTo("generation");
        assertThat(json.at("/phases/1/versionStale").asLong()).as("version-stale under generation invalidation")
                .isZero();
        assertThat(json.at("/revalidations/outcomes/kept").asLong() + json.at("/revalidations/outcomes/moved").asLong()
                + json.at("/revalidations/outcomes/patched").asLong())
                .as("pages judged against changes under selective invalidation").isPositive();
        assertThat(json.at("/phases/1/revalidations/outcomes/kept").asLong()).as("generation keeps nothing").isZero();
        assertThat(json.at("/revalidations/dependencyBytesMean").asDouble()).isPositive();
        assertThat(json.at("/l2Values/sampled").asInt()).as("search pages sampled in Redis").isPositive();
        assertThat(json.at("/l2Values/compression").asDouble()).as("pages are stored compressed").isGreaterThan(1.5);
    }
}
