package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.DocstreamCli;
import io.docstream.cli.SharedCacheRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docstream bench all} at a tiny size against the embedded runtime: every scenario reports its figures
 * beside their anchors and ratios, with the service JVM's memory, and the counts that are exact by design hold
 * (a cold ingest embeds every chunk, a replay none, a one-paragraph update one). No timing is asserted.
 */
@ExtendWith(SharedCacheRuntime.Resolver.class)
class BenchAllIntegrationTests {

    @Test
    void reportsEveryScenarioWithItsAnchorRatioAndMemory(SharedCacheRuntime shared) {
        Path report = shared.dataDir().resolve("bench-all-report.json");

        int exit = DocstreamCli.commandLine().execute("bench", "all",
                "--ingest-url", shared.ingestUrl(), "--query-url", shared.queryUrls().getFirst(),
                "--indexer-url", "http://localhost:" + shared.options().indexerPort(),
                "--invalidator-url", "http://localhost:" + shared.options().invalidatorPort(),
                "--redis-uri", shared.runtime().redisUri(), "--data-dir", shared.dataDir().toString(),
                "--pid", Long.toString(ProcessHandle.current().pid()),
                // The built-in generator, as on a machine without wrk: the same run wherever the build runs.
                "--load-generator", "java",
                "--documents", "12", "--connections", "2", "--load-duration", "PT1S", "--queries", "5",
                "--freshness-duration", "PT2S", "--duration", "PT2S", "--readers", "2", "--write-fraction", "0.05",
                "--report", report.toString());

        assertThat(exit).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(report.toFile());
        for (String scenario : BenchSuite.SCENARIOS) {
            JsonNode result = json.at("/scenarios/" + scenario);
            assertThat(result.path("figures").isEmpty()).as(scenario + " figures").isFalse();
            assertThat(result.at("/memory/peakRssMbVmHWM").asDouble()).as(scenario + " VmHWM").isPositive();
            assertThat(result.at("/memory/maxRssMbDuringScenario").asDouble()).as(scenario + " max VmRSS")
                    .isPositive();
            for (JsonNode figure : result.path("figures")) {
                if (!figure.path("anchor").isNull()) {
                    assertThat(figure.path("anchorValue").asDouble()).as(scenario + ": " + figure).isPositive();
                    // a figure can be missing at this size (no L1 hit in a 2 s cache workload); its ratio then too
                    assertThat(figure.path("ratio").isNumber()).as(scenario + ": " + figure)
                            .isEqualTo(figure.path("value").isNumber());
                }
            }
        }

        JsonNode ingest = figure(json, "ingest", "cold ingest, POST -> indexed");
        assertThat(ingest.path("value").asDouble()).isPositive();
        assertThat(ingest.path("ratio").asDouble()).isPositive();
        assertThat(ingest.path("target").asString()).isEqualTo(">= 0.8");
        assertThat(figure(json, "ingest", "chunks embedded by the indexer").path("value").asDouble())
                .as("cold: the indexer embeds exactly the chunks the benchmark's chunker makes")
                .isEqualTo(figure(json, "ingest", "chunks (benchmark's chunker)").path("value").asDouble())
                .isGreaterThanOrEqualTo(12);

        assertThat(figure(json, "replay", "replay (indexer's start -> done)").path("ratio").asDouble()).isPositive();
        assertThat(figure(json, "replay", "chunks embedded during the replay (indexer metric)").path("value")
                .asDouble()).isZero();
        assertThat(figure(json, "replay", "records replayed").path("value").asDouble()).isGreaterThanOrEqualTo(12);

        assertThat(figure(json, "update", "chunks re-embedded by a one-paragraph update").path("value").asDouble())
                .isEqualTo(1);
        assertThat(figure(json, "update", "chunks in the document").path("value").asDouble())
                .isGreaterThanOrEqualTo(12);

        JsonNode cached = figure(json, "search-cached", "L1-hit searches, max rate");
        assertThat(cached.path("value").asDouble()).isPositive();
        assertThat(figure(json, "search-cached", "p99 at half the max rate").path("value").asDouble()).isPositive();
        assertThat(figure(json, "search-cached", "errors").path("value").asDouble()).isZero();
        JsonNode gzipBytes = figure(json, "search-cached", "k=50 page on the wire, gzip");
        assertThat(gzipBytes.path("value").asDouble()).as("a page of 12 documents is worth compressing")
                .isLessThan(gzipBytes.path("anchorValue").asDouble() / 2);
        assertThat(figure(json, "search-cached", "k=50 page on the wire, zstd").path("ratio").asDouble())
                .isGreaterThan(2);
        assertThat(figure(json, "search-cached", "k=50 L1 hits, max rate, gzip").path("value").asDouble())
                .isPositive();

        assertThat(figure(json, "search-uncached", "uncached hybrid search p50").path("value").asDouble())
                .isPositive();
        assertThat(figure(json, "search-uncached", "queries measured").path("value").asDouble()).isPositive();

        assertThat(figure(json, "freshness", "accepted -> indexed p99 (client)").path("value").asDouble())
                .isPositive();
        assertThat(figure(json, "freshness", "accepted -> searchable p99 (invalidator histogram)").path("value")
                .isNumber()).isTrue();
        assertThat(figure(json, "freshness", "invalidation lag p99 (query-api histogram)").path("value").isNumber())
                .isTrue();

        assertThat(figure(json, "cache", "L1-hit search p50").path("value").asDouble()).isPositive();
        assertThat(figure(json, "memory", "service JVM VmHWM (peak over its life)").path("value").asDouble())
                .isPositive();
    }

    private static JsonNode figure(JsonNode report, String scenario, String name) {
        for (JsonNode figure : report.at("/scenarios/" + scenario + "/figures")) {
            if (figure.path("name").asString().equals(name)) {
                return figure;
            }
        }
        throw new AssertionError("no figure '" + name + "' in " + scenario + ": " + report.at("/scenarios/" + scenario));
    }
}
