package io.docstream.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The eval report keeps the field names docs and tests read, and its table prints as before. */
class EvalReportTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void writesTheFieldNamesTheQualityFloorAndTheDocsRead() {
        JsonNode json = JSON.valueToTree(report(null, new EvalReport.Ingest(40, 1.2345, 12.5, 3.2, null, null)));

        assertThat(json.propertyNames()).containsExactly("startedAt", "settings", "ingest", "modes", "queries",
                "wallSeconds");
        assertThat(json.at("/settings/target").asString()).isEqualTo("deployment");
        assertThat(json.at("/ingest/documents").asInt()).isEqualTo(40);
        assertThat(json.at("/ingest/chunks").isNull()).as("present, unknown without the indexer").isTrue();
        assertThat(json.path("ingest").has("chunkLookups")).isFalse();
        JsonNode keyword = json.at("/modes/keyword");
        assertThat(keyword.propertyNames()).containsExactly("mode", "fusion", "queries", "answered", "ndcg@10",
                "recall@100", "mrr@10", "latencyP50Ms", "latencyP99Ms", "latencySamples", "cache", "degraded");
        assertThat(keyword.path("ndcg@10").asDouble()).isEqualTo(0.7123);
        assertThat(json.at("/queries/0/firstRelevantRank/keyword").isNull()).as("not found in the top k").isTrue();
        assertThat(json.at("/queries/0/firstRelevantRank/hybrid-weighted").asInt()).isEqualTo(2);
    }

    @Test
    void aPrivateRuntimeAddsItsStartTimeAndTheChunkLookups() {
        JsonNode json = JSON.valueToTree(report(41.5, new EvalReport.Ingest(40, 1.2, 12.5, 3.2, 52L, 53L)));

        assertThat(json.path("runtimeStartSeconds").asDouble()).isEqualTo(41.5);
        assertThat(json.at("/ingest/chunkLookups").asLong()).isEqualTo(53);
    }

    @Test
    void theTableIsPrintedAsBefore() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        EvalTable.print(report(null, new EvalReport.Ingest(40, 1.2345, 12.5, 3.2, 52L, 52L)), out);
        EvalTable.print(report(null, new EvalReport.Ingest(40, 1.2345, 12.5, 3.2, null, null)), out);

        try (InputStream expected = EvalReportTests.class.getResourceAsStream("/tables/eval.txt")) {
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static EvalReport report(Double runtimeStartSeconds, EvalReport.Ingest ingest) {
        Map<String, EvalReport.ModeFigures> modes = new LinkedHashMap<>();
        modes.put("keyword", mode(0.7123, 12.34, 0));
        modes.put("hybrid-weighted", mode(0.91, Double.NaN, 2));
        Map<String, Integer> ranks = new LinkedHashMap<>();
        ranks.put("keyword", null);
        ranks.put("hybrid-weighted", 2);
        EvalReport.Settings settings = new EvalReport.Settings("deployment", "http://i", "http://q", null, Map.of(),
                "c", "q", "r", List.of("keyword", "hybrid-weighted"), 100, 0, "", 4, 16, 2);
        return new EvalReport("2026-12-01T10:00:00Z", settings, runtimeStartSeconds, ingest, modes,
                List.of(new EvalReport.QueryRanks("q3", "compare bytes", List.of("man1227"), ranks)), 60.5);
    }

    private static EvalReport.ModeFigures mode(double ndcg, double p50, int degraded) {
        return new EvalReport.ModeFigures("x", null, 15, 15, ndcg, 0.8667, 0.71234, p50, 120.55, 15,
                Map.of("miss", 15), degraded);
    }
}
