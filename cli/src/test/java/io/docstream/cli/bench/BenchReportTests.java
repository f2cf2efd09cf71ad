package io.docstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.cli.bench.BenchReport.Memory;
import io.docstream.cli.bench.BenchReport.ScenarioDetails;
import io.docstream.cli.bench.BenchReport.ScenarioResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The bench report: one shape for every scenario, and the terminal tables printed from it as before. */
class BenchReportTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyScenarioFitsTheCommonShapeWithItsOwnDetails() {
        List<Class<?>> detailTypes = Arrays.asList(ScenarioDetails.class.getPermittedSubclasses());
        assertThat(detailTypes).as("one kind of details per scenario").hasSameSizeAs(BenchSuite.SCENARIOS);
        Map<String, ScenarioResult> scenarios = new LinkedHashMap<>();
        for (Class<?> type : detailTypes) {
            scenarios.put(type.getName(), new ScenarioResult(1.5, new BenchFigures()
                    .targeted("a figure", 1, "ms", "<= 2 ms", true).figures(), new Memory(null, null, null),
                    (ScenarioDetails) empty(type)));
        }

        JsonNode report = JSON.valueToTree(new BenchReport(settings(), scenarios));

        BenchReportShape.assertCommonShape(report, List.copyOf(scenarios.keySet()));
    }

    @Test
    void keepsMissingValuesAsNullsAndTheCacheScenariosExtrasInItsDetails() {
        Map<String, ScenarioResult> scenarios = new LinkedHashMap<>();
        scenarios.put("cache", new ScenarioResult(31.0, new BenchFigures()
                .plain("search hit rate (L1 + L2)", 0.5, "share")
                .anchored("L1-hit search p50", Double.NaN, "ms", "GET /actuator/info p50", 0.5, null, null)
                .figures(), new Memory(12L, 812.5, 900.0), cacheReport()));

        JsonNode report = JSON.valueToTree(new BenchReport(settings(), scenarios));

        BenchReportShape.assertCommonShape(report, List.of("cache"));
        JsonNode cache = report.at("/scenarios/cache");
        assertThat(cache.at("/figures/0/anchor").isNull()).as("present, and null").isTrue();
        assertThat(cache.at("/figures/1/value").isNull()).as("a missing measurement").isTrue();
        assertThat(cache.at("/figures/1/ratio").isNull()).isTrue();
        assertThat(cache.at("/memory/peakRssMbVmHWM").asDouble()).isEqualTo(900.0);
        assertThat(cache.at("/details").propertyNames()).containsExactly("workload", "anchors", "client", "freshness", "l2Values", "server",
                "invalidationLag", "ratios", "revalidations", "phases");
        assertThat(cache.at("/details/workload/readers").asInt()).isEqualTo(4);
        assertThat(cache.at("/details/anchors/redisPing/count").asInt()).isEqualTo(300);
        assertThat(cache.at("/details/client/searchByLayer/l1/share").asDouble()).isEqualTo(0.486);
        assertThat(cache.at("/details/server/search/origin/requests").asLong()).isEqualTo(106);
        assertThat(cache.at("/details/invalidationLag/maxMs").isNull()).isTrue();
        assertThat(cache.at("/details/ratios/search_l1_p50_over_redis_ping_p50").asDouble()).isEqualTo(8.642);
        assertThat(cache.at("/details/revalidations/outcomes/kept").asLong()).isEqualTo(40);
        assertThat(cache.at("/details/phases/0/hitRateOverNoWrites").asDouble()).isEqualTo(0.52);
    }

    @Test
    void theCacheTableIsPrintedAsBefore() throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        CacheReportTable.print(cacheReport(), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(resource("/tables/bench-cache.txt"));
    }

    @Test
    void theFiguresTableIsPrintedAsBefore() throws IOException {
        Map<String, ScenarioResult> scenarios = new LinkedHashMap<>();
        scenarios.put("ingest", new ScenarioResult(61.234, new BenchFigures()
                .anchored("cold ingest, POST -> indexed", 20.5, "docs/s", "raw batch embedding of the same chunks",
                        30.25, ">= 0.8", false)
                .plain("documents", 600, "docs")
                .targeted("chunks re-embedded", 1, "chunks", "= 1", true)
                .targeted("lag p99", Double.NaN, "ms", "<= 100 ms", null)
                .compared("replay", 800, "docs/s", "cold ingest", 20.5, "replay / cold", 39.02, ">= 20x", true)
                .figures(), new Memory(12L, 812.5, 900.0), null));
        scenarios.put("memory", new ScenarioResult(2.0, new BenchFigures()
                .plain("service JVM VmRSS now", -1 / 1024.0, "MB").figures(), new Memory(null, null, null), null));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        BenchReportTable.print(scenarios, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(resource("/tables/bench-figures.txt"));
    }

    private static CacheReport cacheReport() {
        CacheReport.LayerRequests third = new CacheReport.LayerRequests(102, 0.333);
        CacheReport.CacheRequests busy = new CacheReport.CacheRequests(third, third,
                new CacheReport.LayerRequests(106, 0.333), 0.667);
        CacheReport.LayerRequests none = new CacheReport.LayerRequests(0, 0.0);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("search_l1_p50_over_redis_ping_p50", 8.642);
        ratios.put("search_l1_p50_over_http_info_p50", 1.367);
        ratios.put("search_l2_p50_over_redis_ping_p50", 20.988);
        ratios.put("search_l2_p50_over_http_info_p50", 3.32);
        ratios.put("search_miss_p50_over_redis_ping_p50", 212.963);
        ratios.put("search_miss_p50_over_http_info_p50", 33.691);
        ratios.put("search_miss_p50_over_l1_p50", 24.643);
        ratios.put("invalidation_lag_p50_over_write_to_searchable_p50", null);
        Map<String, Long> outcomes = new LinkedHashMap<>();
        outcomes.put("kept", 40L);
        outcomes.put("moved", 3L);
        CacheReport.Revalidations revalidations = new CacheReport.Revalidations("selective", outcomes, 602, 2480.0);
        return new CacheReport(
                new CacheReport.Workload(30, 4, 0.02, 0.2, "hybrid", 10, 60, 120, 1.0),
                new CacheReport.Anchors(new Latencies.Summary(300, 0.081, 0.2),
                        new Latencies.Summary(300, 0.512, 1.304), new Latencies.Summary(0, null, null)),
                new CacheReport.Client(1234, 200, 7, 0, 0.512, new CacheReport.SearchLayers(
                        new CacheReport.Layer(600, 0.7, 2.5, 0.486), new CacheReport.Layer(32, 1.7, 3.5, 0.026),
                        new CacheReport.Layer(602, 17.25, 80.125, 0.488)), new Latencies.Summary(200, 0.9, 3.0)),
                new CacheReport.Freshness(61, 0, 1, 0.0, 0.016, 0, 0.0),
                new CacheReport.L2Values(120, 700.5, 2100.0, 3.0),
                new CacheReport.Server(busy, busy, new CacheReport.CacheRequests(none, none, none, 0.0)),
                new CacheReport.InvalidationLag(7, 3.25, 2.5, 9.9, null, "query-api /actuator/prometheus"),
                ratios, revalidations, List.of(new CacheReport.Phase("selective", 0.02, 0.512, 0.52, 0.7, 17.25, 61, 0,
                        1, 0.016, 0.0, revalidations)));
    }

    private static BenchReport.Settings settings() {
        return new BenchReport.Settings("http://localhost:8080", "http://localhost:8081", "http://localhost:8082",
                "http://localhost:8083", "redis://localhost:6380", null, "n0nce", 42, 600, 16, "auto", 10, 100, 20,
                null, 2, "25");
    }

    /** A record of {@code type} with every component at its zero value or null. */
    private static Object empty(Class<?> type) {
        try {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            Object[] values = Arrays.stream(types).map(BenchReportTests::zero).toArray();
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type + " is not a record that can be built empty", e);
        }
    }

    private static Object zero(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == boolean.class) {
            return false;
        }
        return null;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BenchReportTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
