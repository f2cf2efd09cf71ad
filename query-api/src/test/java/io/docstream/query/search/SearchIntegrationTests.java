package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SearchIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "search-acme";
    private static final String OTHER_TENANT = "search-umbrella";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static final String OTHER_KEY = createKey(OTHER_TENANT, Scope.SEARCH);
    private static final String INGEST_ONLY_KEY = createKey(TENANT, Scope.INGEST);
    private static boolean seeded;

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        seed(TENANT, "photosynthesis", "How plants feed", "Photosynthesis lets green plants turn sunlight, water and "
                + "carbon dioxide into sugar and oxygen inside their leaves.", Map.of("lang", "en", "topic", "biology"), 1);
        seed(TENANT, "eiffel", "A Paris landmark", "The Eiffel Tower is a wrought-iron lattice tower on the Champ de "
                + "Mars in Paris, France, completed in 1889.", Map.of("lang", "en", "topic", "travel"), 1);
        seed(TENANT, "kafka", "Event streaming", "Apache Kafka is a distributed event streaming platform: producers "
                + "append records to partitioned logs and consumers read them in order.", Map.of("lang", "en",
                "topic", "software"), 3);
        seed(TENANT, "sourdough", "Baking at home", "Sourdough bread rises with wild yeast and lactic acid bacteria "
                + "kept alive in a starter of flour and water.", Map.of("lang", "en", "topic", "food"), 1);
        seed(TENANT, "brot", "Brot backen", "Sauerteigbrot geht mit wilder Hefe auf; der Sauerteig wird mit Mehl und "
                + "Wasser gefüttert.", Map.of("lang", "de", "topic", "food"), 1);
        for (int i = 0; i < 9; i++) {
            seed(TENANT, "note-" + i, "Meeting note " + i, "Weekly meeting notes number " + i + ": the team discussed "
                    + "the roadmap, the backlog and the release calendar for the quarter.", Map.of("lang", "en",
                    "topic", "notes"), 1);
        }
        seed(TENANT, "long", "A long text", "Lorem ipsum dolor sit amet. ".repeat(30) + "The glacier moraine holds "
                + "boulders carried by ice. " + "Consectetur adipiscing elit. ".repeat(30), Map.of("lang", "en"), 1);
        seed(OTHER_TENANT, "other-kafka", "Kafka elsewhere", "Apache Kafka is a distributed event streaming platform "
                + "used by another tenant.", Map.of("lang", "en"), 1);
        seeded = true;
    }

    @Test
    void semanticSearchFindsDocumentsByMeaning() throws Exception {
        JsonNode response = search("q=" + encode("how do plants make food from light") + "&mode=semantic");

        assertThat(firstId(response)).isEqualTo("photosynthesis");
        assertThat(response.get("mode").asString()).isEqualTo("semantic");
    }

    @Test
    void keywordSearchFindsDocumentsByTheirTerms() throws Exception {
        JsonNode response = search("q=sourdough&mode=keyword");

        assertThat(firstId(response)).isEqualTo("sourdough");
        assertThat(response.get("mode").asString()).isEqualTo("keyword");
    }

    @Test
    void hybridSearchIsTheDefaultAndAnswersInTheDocumentedShape() throws Exception {
        JsonNode response = search("q=" + encode("distributed event streaming"));

        assertThat(response.get("mode").asString()).isEqualTo("hybrid");
        assertThat(response.get("cache").asString()).isEqualTo("miss");
        assertThat(response.get("degraded").isArray()).isTrue();
        assertThat(response.get("degraded").size()).isZero();
        assertThat(response.get("tookMs").asLong()).isNotNegative();
        assertThat(response.has("nextCursor")).isTrue();
        JsonNode first = response.get("results").get(0);
        assertThat(first.get("id").asString()).isEqualTo("kafka");
        assertThat(first.get("title").asString()).isEqualTo("Event streaming");
        assertThat(first.get("version").asLong()).isEqualTo(3);
        assertThat(first.get("score").asDouble()).isPositive();
        assertThat(first.get("snippet").asString()).contains("Kafka");
    }

    @Test
    void snippetsAreShortCutAtWordsAndShowTheMatch() throws Exception {
        JsonNode response = search("q=" + encode("glacier moraine") + "&mode=keyword");

        assertThat(firstId(response)).isEqualTo("long");
        String snippet = response.get("results").get(0).get("snippet").asString();
        assertThat(snippet.length()).isLessThanOrEqualTo(242);
        assertThat(snippet).contains("glacier");
    }

    @Test
    void filtersKeepOnlyMatchingMetadata() throws Exception {
        JsonNode response = search("q=" + encode("bread yeast") + "&filter=lang:de&mode=hybrid&k=20");

        assertThat(ids(response)).containsExactly("brot");
        JsonNode both = search("q=" + encode("bread yeast") + "&filter=lang:en&filter=topic:food&k=20");
        assertThat(ids(both)).containsExactly("sourdough");
    }

    @Test
    void searchesNeverLeaveTheKeysTenant() throws Exception {
        for (String mode : List.of("hybrid", "semantic", "keyword")) {
            assertThat(ids(search("q=kafka&k=100&mode=" + mode))).doesNotContain("other-kafka");
        }
        assertThat(ids(json(get("/api/v1/search?q=kafka&k=100&mode=keyword", OTHER_KEY))))
                .containsExactly("other-kafka");
    }

    @Test
    void returnsAtMostKResults() throws Exception {
        assertThat(search("q=meeting&k=3&mode=keyword").get("results").size()).isEqualTo(3);
        assertThat(search("q=meeting&k=1").get("results").size()).isEqualTo(1);
    }

    @Test
    void cursorsPageThroughTheWholeRankingWithoutDuplicatesOrGaps() throws Exception {
        for (String mode : List.of("hybrid", "keyword", "semantic")) {
            String query = "q=" + encode("weekly meeting notes roadmap") + "&mode=" + mode + "&k=4";
            List<String> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = search(query + (cursor == null ? "" : "&cursor=" + cursor));
                paged.addAll(ids(page));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
                pages++;
            } while (cursor != null && pages < 50);

            assertThat(new HashSet<>(paged)).as(mode).hasSameSizeAs(paged);
            assertThat(paged).as(mode).containsAll(List.of("note-0", "note-1", "note-2", "note-3", "note-4", "note-5",
                    "note-6", "note-7", "note-8"));
            assertThat(pages).as(mode).isGreaterThan(2);
        }
    }

    @Test
    void hybridSearchFusesTheKeywordAndSemanticRankingsAsTheRequestAsks() throws Exception {
        int differentOrders = 0;
        for (String q : List.of("yeast bread dough", "kafka meeting notes", "paris tower sugar leaves",
                "glacier boulders lorem ipsum", "plants sunlight release calendar")) {
            String query = "q=" + encode(q) + "&k=100";
            JsonNode semantic = search(query + "&mode=semantic");
            JsonNode keyword = search(query + "&mode=keyword");

            JsonNode rrf = search(query + "&fusion=rrf");
            JsonNode weighted = search(query + "&fusion=weighted");

            assertThat(weighted.get("cache").asString()).as(q).isEqualTo("miss");
            assertThat(ids(rrf)).as(q).isEqualTo(ids(Fusion.rrf(List.of(ids(semantic), ids(keyword)), 60)));
            assertThat(ids(weighted)).as(q).isEqualTo(ids(Fusion.weighted(List.of(scored(semantic), scored(keyword)),
                    List.of(0.6, 0.4), Fusion.Normalisation.Z_SCORE)));
            assertThat(ids(search(query))).as("weighted is the configured fusion").isEqualTo(ids(weighted));
            JsonNode weightedAgain = search(query + "&fusion=weighted");
            assertThat(weightedAgain.get("cache").asString()).as(q).isNotEqualTo("miss");
            assertThat(ids(weightedAgain)).as(q).isEqualTo(ids(weighted));
            if (!ids(weighted).equals(ids(rrf))) {
                differentOrders++;
            }
        }
        assertThat(differentOrders).as("queries whose two fusions order the results differently").isPositive();
    }

    @Test
    void aCursorPagesOnlyTheFusionItWasIssuedFor() throws Exception {
        String query = "q=" + encode("weekly meeting notes") + "&k=2";
        String rrfCursor = search(query + "&fusion=rrf").get("nextCursor").asString();

        assertThat(search(query + "&fusion=rrf&cursor=" + rrfCursor).get("results").size()).isEqualTo(2);
        assertThat(get("/api/v1/search?" + query + "&fusion=weighted&cursor=" + rrfCursor, KEY).statusCode())
                .isEqualTo(400);
    }

    @Test
    void badParametersAreInvalidRequests() throws Exception {
        String cursorOfAnotherQuery = search("q=meeting&k=2&mode=keyword").get("nextCursor").asString();
        List<String> invalid = List.of("k=0&q=x", "k=101&q=x", "k=ten&q=x", "q=x&mode=fuzzy", "mode=keyword", "q=",
                "q=" + "a".repeat(1001), "q=x&cursor=" + encode("!!not-base64!!"), "q=x&cursor=AAAA",
                "q=x&cursor=" + encode("czE6LTE6YWJj"), "q=other&k=2&mode=keyword&cursor=" + cursorOfAnotherQuery,
                "q=meeting&k=3&mode=keyword&cursor=" + cursorOfAnotherQuery, "q=x&filter=nocolon",
                "q=x&filter=" + encode("bad key:v"), "q=x&filter=lang:en&filter=lang:de", "q=x&fusion=borda", "q=x&fusion=RRF", "q=x&fusion=",
                "q=x&mode=keyword&fusion=nope");
        for (String parameters : invalid) {
            HttpResponse<String> response = get("/api/v1/search?" + parameters, KEY);
            assertThat(response.statusCode()).as(parameters + " -> " + response.body()).isEqualTo(400);
            assertThat(json(response).get("type").asString()).as(parameters)
                    .isEqualTo("https://docstream.io/problems/invalid-request");
        }
    }

    @Test
    void searchNeedsAKeyWithTheSearchScope() throws Exception {
        assertThat(get("/api/v1/search?q=kafka", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/search?q=kafka", INGEST_ONLY_KEY).statusCode()).isEqualTo(403);
    }

    private JsonNode search(String parameters) throws Exception {
        HttpResponse<String> response = get("/api/v1/search?" + parameters, KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static String firstId(JsonNode response) {
        return response.get("results").get(0).get("id").asString();
    }

    private static List<String> ids(List<ScoredId> fused) {
        return fused.stream().map(ScoredId::id).toList();
    }

    private static List<ScoredId> scored(JsonNode response) {
        return response.get("results").valueStream()
                .map(result -> new ScoredId(result.get("id").asString(), result.get("score").asDouble()))
                .toList();
    }

    private static List<String> ids(JsonNode response) {
        return response.get("results").valueStream().map(result -> result.get("id").asString()).toList();
    }
}
