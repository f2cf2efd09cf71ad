package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Every answered search is timed by mode and answering cache layer; missing parts are counted. */
class SearchMetricsIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "metrics-acme";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static boolean seeded;

    @Autowired
    private MeterRegistry meters;

    @BeforeEach
    void seedOnce() {
        if (!seeded) {
            seed(TENANT, "volcano", "Volcanoes", "A volcano erupts when magma rises through the crust and escapes "
                    + "as lava, ash and gas.", Map.of("lang", "en"), 1);
            seeded = true;
        }
    }

    @Test
    void aSearchAtEachLayerMovesThatLayersTimer() throws Exception {
        String query = "magma " + UUID.randomUUID().toString().substring(0, 8);
        long misses = timed("keyword", "miss");
        long l1Hits = timed("keyword", "l1");

        assertThat(search(query, "keyword").get("cache").asString()).isEqualTo("miss");
        assertThat(timed("keyword", "miss")).isEqualTo(misses + 1);
        assertThat(timed("keyword", "l1")).isEqualTo(l1Hits);

        assertThat(search(query, "keyword").get("cache").asString()).isEqualTo("l1");
        assertThat(timed("keyword", "l1")).isEqualTo(l1Hits + 1);
        assertThat(timed("keyword", "miss")).isEqualTo(misses + 1);
    }

    @Test
    void theModeIsATagOfItsOwn() throws Exception {
        long semantic = timed("semantic", "miss");

        search("lava flows " + UUID.randomUUID(), "semantic");

        assertThat(timed("semantic", "miss")).isEqualTo(semantic + 1);
    }

    @Test
    void anAnswerWithoutTheSharedCacheCountsAsDegraded() throws Exception {
        double before = degraded("cache");
        REDIS.stop();
        try {
            JsonNode answer = search("ash " + UUID.randomUUID(), "keyword");
            assertThat(answer.get("degraded").toString()).contains("cache");
        } finally {
            REDIS.restart();
        }

        assertThat(degraded("cache")).isEqualTo(before + 1);
    }

    @Test
    void theTimerIsAHistogramWithTheDocumentedName() throws Exception {
        search("crust " + UUID.randomUUID(), "hybrid");

        String scrape = get("/actuator/prometheus", null).body();

        assertThat(scrape).containsPattern("docstream_search_duration_seconds_bucket\\{"
                + "(?=[^}]*cache=\"miss\")(?=[^}]*mode=\"hybrid\")(?=[^}]*le=\"0\\.1\")[^}]*} \\d");
        assertThat(scrape).containsPattern("docstream_search_duration_seconds_count\\{"
                + "(?=[^}]*cache=\"miss\")(?=[^}]*mode=\"hybrid\")[^}]*} [1-9]");
    }

    private JsonNode search(String query, String mode) throws Exception {
        HttpResponse<String> response = get("/api/v1/search?mode=" + mode + "&q=" + encode(query), KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private long timed(String mode, String cache) {
        Timer timer = meters.find(SearchMetrics.DURATION).tag("mode", mode).tag("cache", cache).timer();
        return timer == null ? 0 : timer.count();
    }

    private double degraded(String part) {
        Counter counter = meters.find(SearchMetrics.DEGRADED).tag("part", part).counter();
        return counter == null ? 0 : counter.count();
    }
}
