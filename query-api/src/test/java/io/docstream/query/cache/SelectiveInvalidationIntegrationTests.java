package io.docstream.query.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Selective invalidation as a reader sees it: after a change of the tenant is indexed and recorded (as the
 * invalidator records it), a cached page the change cannot alter is still served from memory and from Redis, a
 * changed document that keeps its place shows its new version in place, and a page the change alters (the document
 * now belongs on it, or left it) is computed again and matches a fresh evaluation. Each test uses a tenant of its own, so pages and histories of other tests never meet.
 */
class SelectiveInvalidationIntegrationTests extends QueryApiTestSupport {

    private static final String LIGHTHOUSE = "The lighthouse keeper climbs the tower every evening to light the lamp "
            + "that guides ships past the harbour rocks.";
    private static final String PAGE = "q=lighthouse+keeper+lamp&k=1";
    private static int tenants;

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private QueryCaches caches;

    @Autowired
    private MeterRegistry meters;

    private String tenant;
    private String key;

    @BeforeEach
    void seedTenant() {
        tenant = "selective-" + (++tenants);
        key = createKey(tenant, Scope.SEARCH);
        seed(tenant, "lighthouse", "The lighthouse", LIGHTHOUSE, Map.of(), 1);
        seed(tenant, "orchard", "An apple orchard", "Apple trees in the orchard blossom in spring; the harvest "
                + "comes in autumn when the fruit is ripe.", Map.of(), 1);
        seed(tenant, "bakery", "The bakery", "The baker kneads dough before dawn and bakes rye bread and rolls.",
                Map.of(), 1);
    }

    @AfterEach
    void restoreScheme() {
        caches.searchInvalidation(tenant, null);
    }

    @Test
    void aPageAChangeCannotAlterIsStillServedFromMemoryAndFromRedis() throws Exception {
        JsonNode computed = search(PAGE);
        assertThat(layer(PAGE)).isEqualTo("l1");
        double kept = revalidations("kept");

        update(tenant, "orchard", "A pear orchard", "Pear trees in the orchard blossom in spring; the harvest comes "
                + "in autumn when the pears are ripe.", 2);
        JsonNode afterChange = search(PAGE);
        caches.invalidateAll();
        JsonNode fromRedis = search(PAGE);

        assertThat(afterChange.get("cache").asString()).isEqualTo("l1");
        assertThat(fromRedis.get("cache").asString()).isEqualTo("l2");
        assertThat(ids(afterChange)).isEqualTo(ids(computed)).isEqualTo(ids(fresh(PAGE))).containsExactly("lighthouse");
        assertThat(ids(fromRedis)).isEqualTo(ids(computed));
        assertThat(revalidations("kept")).isEqualTo(kept + 2);
    }

    @Test
    void aPageAChangedDocumentNowBelongsOnIsComputedAgain() throws Exception {
        search(PAGE);
        assertThat(layer(PAGE)).isEqualTo("l1");
        double moved = revalidations("moved");

        update(tenant, "orchard", "The lighthouse keeper's lamp", "The lighthouse keeper trims the lamp wick; the "
                + "lighthouse keeper lights the lamp; keeper, lamp and lighthouse all night.", 2);
        JsonNode afterChange = search(PAGE);

        assertThat(afterChange.get("cache").asString()).isEqualTo("miss");
        assertThat(ids(afterChange)).isEqualTo(ids(fresh(PAGE))).containsExactly("orchard");
        assertThat(revalidations("moved")).isEqualTo(moved + 1);
    }

    @Test
    void aChangedDocumentThatKeepsItsPlaceIsShownAtItsNewVersionWithoutComputingThePageAgain() throws Exception {
        search(PAGE);
        double patched = revalidations("patched");

        update(tenant, "lighthouse", "The lighthouse", LIGHTHOUSE + " Its lamp burns paraffin oil.", 2);
        JsonNode afterChange = search(PAGE);
        JsonNode fresh = fresh(PAGE);

        assertThat(afterChange.get("cache").asString()).isEqualTo("l1");
        assertThat(afterChange.at("/results/0/version").asLong()).isEqualTo(2);
        assertThat(afterChange.at("/results/0/snippet").asString()).isEqualTo(fresh.at("/results/0/snippet").asString())
                .contains("paraffin");
        assertThat(revalidations("patched")).isEqualTo(patched + 1);
    }

    @Test
    void aPageShowingADeletedDocumentIsComputedAgain() throws Exception {
        search(PAGE);

        delete(tenant, "lighthouse", 2);
        JsonNode afterDelete = search(PAGE);

        assertThat(afterDelete.get("cache").asString()).isEqualTo("miss");
        assertThat(ids(afterDelete)).doesNotContain("lighthouse").isEqualTo(ids(fresh(PAGE)));
    }

    @Test
    void aChangeMissingFromTheHistoryDropsEveryPage() throws Exception {
        search(PAGE);
        assertThat(layer(PAGE)).isEqualTo("l1");

        invalidate(tenant, "bakery");

        assertThat(layer(PAGE)).isEqualTo("miss");
    }

    @Test
    void withGenerationInvalidationAnyChangeDropsThePage() throws Exception {
        String admin = createKey(tenant, Scope.ADMIN);
        assertThat(put("/api/v1/admin/cache", "{\"searchInvalidation\": \"generation\"}", key).statusCode())
                .as("a search key may not switch it").isEqualTo(403);
        HttpResponse<String> bad = put("/api/v1/admin/cache", "{\"searchInvalidation\": \"sometimes\"}", admin);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> switched = put("/api/v1/admin/cache", "{\"searchInvalidation\": \"generation\"}",
                admin);
        assertThat(json(switched).get("searchInvalidation").asString()).isEqualTo("generation");
        assertThat(json(switched).get("configured").asString()).isEqualTo("selective");
        search(PAGE);
        assertThat(layer(PAGE)).isEqualTo("l1");

        update(tenant, "bakery", "The bakery", "The baker kneads dough before dawn and bakes rye bread.", 2);

        assertThat(layer(PAGE)).isEqualTo("miss");
    }

    private HttpResponse<String> put(String path, String body, String apiKey) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private double revalidations(String outcome) {
        Counter counter = meters.find("docstream.cache.search.revalidations").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private String layer(String query) throws Exception {
        return search(query).get("cache").asString();
    }

    private JsonNode search(String query) throws Exception {
        HttpResponse<String> response = get("/api/v1/search?" + query, key);
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    private JsonNode fresh(String query) throws Exception {
        HttpResponse<String> response = get("/api/v1/search?" + query, key, "Cache-Control", "no-cache");
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.get("results").forEach(result -> ids.add(result.get("id").asString()));
        return ids;
    }
}
