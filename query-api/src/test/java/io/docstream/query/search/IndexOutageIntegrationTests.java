package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.platform.tenancy.Scope;
import io.docstream.query.CountingSearchIndex;
import io.docstream.query.QueryApiTestSupport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The search index down (every search fails as a closed Lucene index does): searches still answer 200 from
 * PostgreSQL's full-text search, flagged {@code index} in {@code degraded}, within the tenant and its filters;
 * after enough failures the breaker opens and the index is not even asked.
 */
class IndexOutageIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "outage-acme";
    private static final String OTHER_TENANT = "outage-umbrella";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static final String WORD = "zephyrine";

    @Autowired
    private RemoteCalls remoteCalls;

    @AfterEach
    void indexBack() {
        index().down(false);
        indexBreaker().reset();
    }

    private CircuitBreaker indexBreaker() {
        return remoteCalls.call(RemoteCalls.SEARCH_INDEX, SearchConfiguration::indexFailure).breaker();
    }

    @Test
    void searchesAnswerFromPostgresFlaggedDegradedWhileTheIndexIsDown() throws Exception {
        seed(TENANT, "outage-1", "Zephyrine winds", "The zephyrine wind blows warm over the southern hills in spring.",
                Map.of("topic", "weather"), 1);
        seed(TENANT, "outage-2", "Sailing", "Sailors wait for a zephyrine breeze before leaving the harbour.",
                Map.of("topic", "sea"), 1);
        seed(OTHER_TENANT, "outage-3", "Zephyrine elsewhere", "Another tenant also writes about zephyrine winds.",
                Map.of("topic", "weather"), 1);
        index().down(true);

        for (String mode : List.of("hybrid", "keyword", "semantic")) {
            HttpResponse<String> answer = get("/api/v1/search?mode=" + mode + "&q=" + encode(WORD + " " + mode), KEY);
            assertThat(answer.statusCode()).as(mode + ": " + answer.body()).isEqualTo(200);
            JsonNode body = json(answer);
            assertThat(ids(body)).as(mode).containsExactlyInAnyOrder("outage-1", "outage-2");
            assertThat(body.get("degraded").toString()).as(mode).contains("\"index\"");
        }
        JsonNode filtered = json(get("/api/v1/search?q=" + encode(WORD) + "&filter=topic:sea", KEY));
        assertThat(ids(filtered)).containsExactly("outage-2");
        JsonNode again = json(get("/api/v1/search?q=" + encode(WORD) + "&filter=topic:sea", KEY));
        assertThat(again.get("cache").asString()).as("a degraded answer is not cached").isEqualTo("miss");
    }

    @Test
    void theBreakerOpensAndTheIndexIsNoLongerAskedUntilItIsBack() throws Exception {
        seed(TENANT, "outage-4", "Quiet", "A quillon is the crossguard of a sword.", Map.of(), 1);
        index().down(true);
        CircuitBreaker breaker = indexBreaker();
        for (int i = 0; breaker.getState() != CircuitBreaker.State.OPEN && i < 30; i++) {
            assertThat(get("/api/v1/search?mode=keyword&q=" + encode("quillon " + i), KEY).statusCode()).isEqualTo(200);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        HttpResponse<String> answer = get("/api/v1/search?mode=keyword&q=quillon", KEY);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(ids(json(answer))).containsExactly("outage-4");
        assertThat(index().keywordSearches("quillon")).as("keyword searches that reached the index").isZero();
        HttpResponse<String> prometheus = get("/actuator/prometheus", null);
        assertThat(prometheus.body()).contains("resilience4j_circuitbreaker_state{name=\"search-index\",state=\"open\"} 1.0");
    }

    private CountingSearchIndex index() {
        return (CountingSearchIndex) searchIndex;
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("results").forEach(result -> ids.add(result.get("id").asString()));
        return ids;
    }
}
