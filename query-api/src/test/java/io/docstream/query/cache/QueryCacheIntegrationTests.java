package io.docstream.query.cache;

import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cache.CacheKeys;
import io.docstream.platform.tenancy.Scope;
import io.docstream.query.CountingSearchIndex;
import io.docstream.query.QueryApiTestSupport;
import io.docstream.schemas.events.CacheInvalidated;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class QueryCacheIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "cache-acme";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static boolean seeded;

    @Autowired
    private QueryCaches caches;

    @Autowired
    private InvalidationListener invalidations;

    @Autowired
    private MeterRegistry meters;

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        seed(TENANT, "lighthouse", "The lighthouse", "The lighthouse keeper climbs the tower every evening to light "
                + "the lamp that guides ships past the harbour rocks.", Map.of("lang", "en"), 1);
        seed(TENANT, "orchard", "An apple orchard", "Apple trees in the orchard blossom in spring; the harvest comes "
                + "in autumn when the fruit is ripe.", Map.of("lang", "en"), 1);
        seeded = true;
    }

    @Test
    void aRepeatedSearchIsAnsweredFromMemory() throws Exception {
        JsonNode first = search("q=lighthouse&mode=keyword");
        JsonNode second = search("q=" + encode("  LightHouse ") + "&mode=keyword");

        assertThat(first.get("cache").asString()).isEqualTo("miss");
        assertThat(second.get("cache").asString()).isEqualTo("l1");
        assertThat(second.get("results").get(0).get("id").asString()).isEqualTo("lighthouse");
        assertThat(index().keywordSearches("lighthouse")).isEqualTo(1);
    }

    @Test
    void noCacheAsksTheIndexEveryTimeAndStoresNothing() throws Exception {
        for (String directive : List.of("no-cache", "max-age=0, No-Store")) {
            HttpResponse<String> fresh = get("/api/v1/search?q=autumn&mode=keyword", KEY, "Cache-Control", directive);
            assertThat(json(fresh).get("cache").asString()).as(directive).isEqualTo("bypass");
            assertThat(json(fresh).get("results").get(0).get("id").asString()).isEqualTo("orchard");
        }
        assertThat(index().keywordSearches("autumn")).isEqualTo(2);

        assertThat(search("q=autumn&mode=keyword").get("cache").asString()).as("nothing was stored").isEqualTo("miss");
        assertThat(search("q=autumn&mode=keyword").get("cache").asString()).isEqualTo("l1");
        assertThat(index().keywordSearches("autumn")).isEqualTo(3);
    }

    @Test
    void aSearchIsAnsweredFromRedisWhenMemoryHasNothing() throws Exception {
        search("q=orchard&mode=keyword");
        caches.invalidateAll();

        JsonNode again = search("q=orchard&mode=keyword");

        assertThat(again.get("cache").asString()).isEqualTo("l2");
        assertThat(again.get("results").get(0).get("id").asString()).isEqualTo("orchard");
        assertThat(index().keywordSearches("orchard")).isEqualTo(1);
    }

    @Test
    void manyConcurrentIdenticalSearchesCostOneIndexSearch() throws Exception {
        CountingSearchIndex.Gate gate = index().gate("harvest");
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                responses.add(pool.submit(() -> get("/api/v1/search?q=harvest&mode=keyword", KEY)));
            }
            gate.awaitEntered();
            // Every caller must be inside the server before the first one's search is let go: one that arrived later
            // would find the answer cached, and the test would pass without one search per key. The gate holds only
            // the first search, so without single-flight the others would reach the index meanwhile.
            await().atMost(Duration.ofSeconds(30)).until(() -> activeRequests() >= callers);
            Thread.sleep(300);
            gate.open();
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(json(answer).get("results").get(0).get("id").asString()).isEqualTo("orchard");
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(index().keywordSearches("harvest")).isEqualTo(1);
    }

    @Test
    void twoTenantsAtTheSameGenerationNeverShareACachedSearch() throws Exception {
        // Generations start at the clock, so two tenants rarely share one; here they do, as they could.
        String other = "cache-globex";
        String otherKey = createKey(other, Scope.SEARCH);
        seed(other, "beacon", "A lighthouse beacon", "The lighthouse beacon of the other tenant flashes twice "
                + "every ten seconds.", Map.of("lang", "en"), 1);
        String generation = Long.toString(Long.parseLong(REDIS.get(CacheKeys.generation(TENANT))) + 1_000_000);
        REDIS.set(CacheKeys.generation(TENANT), generation);
        REDIS.set(CacheKeys.generation(other), generation);

        JsonNode ours = search("q=lighthouse+keeper&mode=keyword");
        JsonNode theirs = json(get("/api/v1/search?q=lighthouse+keeper&mode=keyword", otherKey));

        assertThat(ours.get("cache").asString()).isEqualTo("miss");
        assertThat(theirs.get("cache").asString()).as("not our cached answer").isEqualTo("miss");
        assertThat(ids(theirs)).containsExactly("beacon");
        caches.invalidateAll();
        JsonNode theirsFromRedis = json(get("/api/v1/search?q=lighthouse+keeper&mode=keyword", otherKey));
        assertThat(theirsFromRedis.get("cache").asString()).isEqualTo("l2");
        assertThat(ids(theirsFromRedis)).containsExactly("beacon");
        assertThat(ids(search("q=lighthouse+keeper&mode=keyword"))).containsExactly("lighthouse");
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.get("results").forEach(result -> ids.add(result.get("id").asString()));
        return ids;
    }

    @Test
    void aSearchComputedBeforeTheDataChangedIsNotStored() throws Exception {
        REDIS.flushAll();
        CountingSearchIndex.Gate gate = index().gate("rocks");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<HttpResponse<String>> during = pool.submit(() -> get("/api/v1/search?q=rocks&mode=keyword", KEY));
            gate.awaitEntered();
            String before = REDIS.get(CacheKeys.generation(TENANT));
            invalidate(TENANT, "lighthouse");
            gate.open();

            assertThat(json(during.get(30, TimeUnit.SECONDS)).get("cache").asString()).isEqualTo("miss");
            assertThat(REDIS.keys(CacheKeys.searchPrefix(TENANT) + before + ":*")).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        caches.invalidateAll();
        assertThat(search("q=rocks&mode=keyword").get("cache").asString()).isEqualTo("miss");
        assertThat(search("q=rocks&mode=keyword").get("cache").asString()).isEqualTo("l1");
    }

    @Test
    void aDocumentReadIsCachedAndAChangeIsSeenAtOnce() throws Exception {
        seed(TENANT, "recipe", "Soup", "Leek and potato soup.", Map.of(), 1);
        HttpResponse<String> first = get("/api/v1/documents/recipe", KEY);
        HttpResponse<String> second = get("/api/v1/documents/recipe", KEY);

        DATABASE.dsl().update(DOCUMENTS).set(DOCUMENTS.BODY, "Leek, potato and onion soup.").set(DOCUMENTS.VERSION, 2L)
                .where(DOCUMENTS.TENANT_ID.eq(TENANT), DOCUMENTS.DOCUMENT_ID.eq("recipe")).execute();
        invalidate(TENANT, "recipe");
        HttpResponse<String> afterChange = get("/api/v1/documents/recipe", KEY);

        assertThat(first.headers().firstValue("Docstream-Cache")).hasValue("miss");
        assertThat(second.headers().firstValue("Docstream-Cache")).hasValue("l1");
        assertThat(afterChange.headers().firstValue("Docstream-Cache")).hasValue("miss");
        assertThat(json(afterChange).get("version").asLong()).isEqualTo(2);
        assertThat(json(afterChange).get("body").asString()).isEqualTo("Leek, potato and onion soup.");
    }

    @Test
    void aMissingDocumentIsRememberedUntilItIsWritten() throws Exception {
        assertThat(get("/api/v1/documents/later", KEY).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/documents/later", KEY).statusCode()).isEqualTo(404);

        seed(TENANT, "later", "Later", "Written after it was first asked for.", Map.of(), 1);

        assertThat(get("/api/v1/documents/later", KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void anInvalidationFromTheStreamDropsTheEntryFromMemory() throws Exception {
        seed(TENANT, "tide", "Tides", "The tide rises twice a day.", Map.of(), 1);
        get("/api/v1/documents/tide", KEY);
        assertThat(get("/api/v1/documents/tide", KEY).headers().firstValue("Docstream-Cache")).hasValue("l1");
        await().atMost(Duration.ofSeconds(30)).until(invalidations::assigned);
        Timer lag = meters.get("docstream.cache.invalidation.lag").timer();
        long before = lag.count();

        // A change no copy of which reached this instance yet: the next generation, announced on the topic only.
        long generation = Long.parseLong(REDIS.get(CacheKeys.generation(TENANT))) + 1;
        REDIS.set(CacheKeys.generation(TENANT), Long.toString(generation));
        publishInvalidation(new CacheInvalidated(TENANT, List.of(CacheKeys.document(TENANT, "tide")), generation,
                "document.indexed", Instant.now(), Instant.now().minusMillis(20)));
        await().atMost(Duration.ofSeconds(30)).until(() -> lag.count() > before);

        assertThat(get("/api/v1/documents/tide", KEY).headers().firstValue("Docstream-Cache")).hasValue("l2");
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isPositive();
    }

    @Test
    void withRedisDownReadsStillAnswerAndRedisIsUsedAgainOnceItIsBack() throws Exception {
        search("q=apple&mode=keyword");
        REDIS.stop();
        try {
            HttpResponse<String> searchDuring = get("/api/v1/search?q=blossom&mode=keyword", KEY);
            HttpResponse<String> cachedDuring = get("/api/v1/search?q=apple&mode=keyword", KEY);
            HttpResponse<String> documentDuring = get("/api/v1/documents/lighthouse", KEY);

            assertThat(searchDuring.statusCode()).isEqualTo(200);
            assertThat(json(searchDuring).get("degraded").toString()).contains("\"cache\"");
            assertThat(json(searchDuring).get("results").get(0).get("id").asString()).isEqualTo("orchard");
            assertThat(cachedDuring.statusCode()).isEqualTo(200);
            assertThat(documentDuring.statusCode()).isEqualTo(200);
            assertThat(documentDuring.headers().firstValue("Docstream-Degraded")).hasValue("cache");
        } finally {
            REDIS.restart();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode answer = search("q=spring&mode=keyword");
            return !answer.get("degraded").toString().contains("cache") && answer.get("cache").asString().equals("miss");
        });
        caches.invalidateAll();
        assertThat(search("q=spring&mode=keyword").get("cache").asString()).isEqualTo("l2");
    }

    private JsonNode search(String query) throws Exception {
        HttpResponse<String> response = get("/api/v1/search?" + query, KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    private CountingSearchIndex index() {
        return (CountingSearchIndex) searchIndex;
    }


    /** Requests the server is handling now (Micrometer's long-task timer of the HTTP observation). */
    private int activeRequests() {
        var active = meters.find("http.server.requests.active").longTaskTimers();
        return active.stream().mapToInt(timer -> timer.activeTasks()).sum();
    }
}
