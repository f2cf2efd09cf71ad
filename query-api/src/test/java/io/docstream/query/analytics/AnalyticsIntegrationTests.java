package io.docstream.query.analytics;

import static io.docstream.schemas.db.Tables.QUERY_STATS;
import static io.docstream.schemas.db.Tables.SEARCH_STATS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cache.CacheKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import io.docstream.schemas.analytics.LatencyBuckets;
import io.docstream.schemas.events.CacheInvalidated;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jooq.JSONB;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/admin/analytics} over rows as the analytics app writes them: listings by kind and span, the
 * per-mode summary, the tenant's own rows only, the admin scope, and bad parameters as problem+json. And the hot
 * searches those rows name being asked again after the tenant's cache was invalidated.
 */
class AnalyticsIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "analytics-acme";
    private static final String OTHER_TENANT = "analytics-umbrella";
    private static final String ADMIN_KEY = createKey(TENANT, Scope.ADMIN);
    private static final String SEARCH_KEY = createKey(TENANT, Scope.SEARCH);
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    private static final Instant W1 = HOUR.plus(Duration.ofMinutes(1));
    private static final Instant W2 = HOUR.plus(Duration.ofMinutes(2));

    @Autowired
    private MeterRegistry meters;

    @BeforeAll
    static void rows() {
        DATABASE.ensureTenant(TENANT);
        DATABASE.ensureTenant(OTHER_TENANT);
        // "kafka streams" asked 3 + 2 times in two windows and two shapes; "redis" 4 times, twice finding nothing;
        // "slow thing" once, slowly; a hash-only query 2 times; the other tenant's query 100 times.
        queryRow(TENANT, W1, "kafka streams", "hybrid", "weighted", 10, 3, 0, 3 * 8_000, 9_000);
        queryRow(TENANT, W2, "kafka streams", "keyword", null, 10, 2, 0, 2 * 4_000, 5_000);
        queryRow(TENANT, W1, "redis", "hybrid", "weighted", 10, 4, 2, 4 * 2_000, 3_000);
        queryRow(TENANT, W2, "slow thing", "semantic", null, 10, 1, 1, 900_000, 900_000);
        queryRow(TENANT, W2, null, "keyword", null, 10, 2, 0, 2 * 1_000, 1_000);
        queryRow(TENANT, HOUR.minus(Duration.ofDays(1)), "yesterday", "hybrid", "weighted", 10, 50, 0, 50_000, 1_000);
        queryRow(OTHER_TENANT, W1, "umbrella secret plans", "hybrid", "weighted", 10, 100, 100, 100_000, 1_000);

        long[] hybrid = new long[LatencyBuckets.SIZE];
        hybrid[LatencyBuckets.index(2_000)] = 18;
        hybrid[LatencyBuckets.index(40_000)] = 2;
        modeRow(TENANT, W1, "hybrid", 20, 16, 4, 10, 2, 8, 1, hybrid);
        modeRow(OTHER_TENANT, W1, "hybrid", 100, 100, 100, 0, 0, 100, 0, hybrid);
    }

    @Test
    void topListsTheTenantsMostAskedQueriesOverTheSpan() throws Exception {
        JsonNode top = ok("/api/v1/admin/analytics/queries?kind=top&from=" + HOUR + "&to=" + HOUR.plus(Duration.ofHours(1)));

        assertThat(top.path("kind").asString()).isEqualTo("top");
        assertThat(top.path("queries").findValuesAsString("query"))
                .as("most asked first; shapes of one query add up; another tenant's and older windows are not counted")
                .startsWith("kafka streams", "redis");
        assertThat(top.path("queries").get(0).path("searches").asLong()).isEqualTo(5);
        assertThat(top.path("queries").get(0).path("avgLatencyMs").asDouble()).isEqualTo(6.4);
        assertThat(top.path("queries").get(0).path("maxLatencyMs").asDouble()).isEqualTo(9.0);
        assertThat(top.toString()).doesNotContain("umbrella").doesNotContain("yesterday");
        JsonNode hashOnly = top.path("queries").get(2);
        assertThat(hashOnly.path("query").isNull()).as("a hash-only query is listed by its hash").isTrue();
        assertThat(hashOnly.path("queryHash").asString()).isEqualTo(sha256("hidden"));
    }

    @Test
    void noResultsListsOnlyQueriesThatFoundNothingAndSlowOrdersByLatency() throws Exception {
        String span = "&from=" + HOUR + "&to=" + HOUR.plus(Duration.ofHours(1));

        JsonNode noResults = ok("/api/v1/admin/analytics/queries?kind=no-results" + span);
        assertThat(noResults.path("queries").findValuesAsString("query")).containsExactly("redis", "slow thing");
        assertThat(noResults.path("queries").get(0).path("zeroResults").asLong()).isEqualTo(2);

        JsonNode slow = ok("/api/v1/admin/analytics/queries?kind=slow&limit=2" + span);
        assertThat(slow.path("queries").findValuesAsString("query")).containsExactly("slow thing", "kafka streams");
    }

    @Test
    void theDefaultSpanIsTheLastDayAndTheSummaryAddsUpEachMode() throws Exception {
        assertThat(ok("/api/v1/admin/analytics/queries").path("queries").findValuesAsString("query"))
                .contains("kafka streams").doesNotContain("yesterday");

        JsonNode summary = ok("/api/v1/admin/analytics/summary");
        assertThat(summary.path("modes")).hasSize(1);
        JsonNode hybrid = summary.path("modes").get(0);
        assertThat(hybrid.path("mode").asString()).isEqualTo("hybrid");
        assertThat(hybrid.path("searches").asLong()).isEqualTo(20);
        assertThat(hybrid.path("cacheHitRate").asDouble()).isEqualTo(0.6);
        assertThat(hybrid.path("noResultRate").asDouble()).isEqualTo(0.25);
        assertThat(hybrid.path("p50LatencyMs").asDouble()).isEqualTo(2.0);
        assertThat(hybrid.path("p95LatencyMs").asDouble()).isEqualTo(50.0);
    }

    @Test
    void analyticsNeedTheAdminScopeAndRefuseBadParametersAsProblems() throws Exception {
        assertThat(get("/api/v1/admin/analytics/queries", SEARCH_KEY).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/admin/analytics/summary", SEARCH_KEY).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/admin/analytics/summary", null).statusCode()).isEqualTo(401);

        for (String bad : List.of("kind=popular", "limit=0", "limit=501", "from=yesterday", "to=2026-13-01T00:00:00Z",
                "from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z", "from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z",
                "limit=ten")) {
            HttpResponse<String> answer = get("/api/v1/admin/analytics/queries?" + bad, ADMIN_KEY);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).as(bad).hasValue("application/problem+json");
            assertThat(json(answer).path("detail").asString()).as(bad).isNotBlank();
        }
    }

    @Test
    void afterAnInvalidationTheTenantsHotSearchesAreAskedAgainSoTheNextReaderHitsTheCache() throws Exception {
        String tenant = "analytics-warm";
        String key = createKey(tenant, Scope.SEARCH);
        seed(tenant, "comet", "Comets", "A comet is an icy body that releases gas when it passes close to the sun.",
                Map.of(), 1);
        queryRow(tenant, Instant.now().truncatedTo(ChronoUnit.MINUTES), "icy comet", "keyword", null, 7, 9, 0, 9_000,
                1_000);
        Counter warmed = meters.get("docstream.cache.warmed").tag("outcome", "asked").counter();
        double before = warmed.count();

        // The document changed (seed moved the generation); the invalidator says so on the stream. Published again
        // until this instance has read it; the check comes first so the last warming is done when it passes.
        long generation = Long.parseLong(REDIS.get(CacheKeys.generation(tenant)));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            if (warmed.count() > before) {
                return true;
            }
            publishInvalidation(new CacheInvalidated(tenant, List.of(), generation, "document.indexed", Instant.now(),
                    Instant.now()));
            return false;
        });

        HttpResponse<String> answer = get("/api/v1/search?mode=keyword&k=7&q=" + encode("Icy  comet"), key);
        assertThat(json(answer).path("cache").asString()).as("warmed before anyone asked").isIn("l1", "l2");
        assertThat(json(answer).path("results").get(0).path("id").asString()).isEqualTo("comet");
    }

    private JsonNode ok(String path) throws Exception {
        HttpResponse<String> answer = get(path, ADMIN_KEY);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer);
    }

    private static void queryRow(String tenant, Instant window, String query, String mode, String fusion, int k,
            long searches, long zeroResults, long latencySum, long latencyMax) {
        String queryHash = sha256(query == null ? "hidden" : query);
        DATABASE.dsl().insertInto(QUERY_STATS)
                .set(QUERY_STATS.TENANT_ID, tenant)
                .set(QUERY_STATS.WINDOW_START, window.atOffset(ZoneOffset.UTC))
                .set(QUERY_STATS.SHAPE_HASH, sha256(queryHash + mode + fusion + k))
                .set(QUERY_STATS.QUERY_HASH, queryHash)
                .set(QUERY_STATS.QUERY_TEXT, query)
                .set(QUERY_STATS.MODE, mode)
                .set(QUERY_STATS.FUSION, fusion)
                .set(QUERY_STATS.K, k)
                .set(QUERY_STATS.FILTERS, JSONB.valueOf("{}"))
                .set(QUERY_STATS.SEARCHES, searches)
                .set(QUERY_STATS.ZERO_RESULTS, zeroResults)
                .set(QUERY_STATS.LATENCY_SUM_MICROS, latencySum)
                .set(QUERY_STATS.LATENCY_MAX_MICROS, latencyMax)
                .execute();
    }

    private static void modeRow(String tenant, Instant window, String mode, long searches, long firstPages,
            long zeroResults, long l1, long l2, long misses, long degraded, long[] buckets) {
        DATABASE.dsl().insertInto(SEARCH_STATS)
                .set(SEARCH_STATS.TENANT_ID, tenant)
                .set(SEARCH_STATS.WINDOW_START, window.atOffset(ZoneOffset.UTC))
                .set(SEARCH_STATS.MODE, mode)
                .set(SEARCH_STATS.SEARCHES, searches)
                .set(SEARCH_STATS.FIRST_PAGES, firstPages)
                .set(SEARCH_STATS.ZERO_RESULTS, zeroResults)
                .set(SEARCH_STATS.L1_HITS, l1)
                .set(SEARCH_STATS.L2_HITS, l2)
                .set(SEARCH_STATS.MISSES, misses)
                .set(SEARCH_STATS.DEGRADED, degraded)
                .set(SEARCH_STATS.LATENCY_BUCKETS, Arrays.stream(buckets).boxed().toArray(Long[]::new))
                .execute();
    }


}
