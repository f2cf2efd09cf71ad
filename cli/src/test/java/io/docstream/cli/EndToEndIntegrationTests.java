package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.run.EmbeddedRuntime;
import io.docstream.cli.run.RuntimeOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system in one JVM, driven through HTTP only, as a user would. One runtime serves the class because
 * starting one takes tens of seconds; the methods run in order and each builds on what the previous one left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class EndToEndIntegrationTests {

    private static final Duration INDEXING_TIMEOUT = Duration.ofSeconds(90);

    private static final Map<String, String> SOURDOUGH = document("Keeping a sourdough starter",
            "A sourdough starter is a culture of wild yeast and lactobacilli living in a paste of flour and water. "
                    + "Feed it every day with equal weights of fresh flour and water, discard part of it before each "
                    + "feeding, and keep it at room temperature. When it doubles within a few hours and smells "
                    + "pleasantly sour, it is ready to leaven a loaf.");
    private static final Map<String, String> BGP = document("How BGP routes traffic",
            "BGP, the Border Gateway Protocol, lets autonomous systems announce which address prefixes they can "
                    + "reach. Each BGP router picks a best path using attributes such as AS path length and local "
                    + "preference, and withdraws routes when links fail. A misconfigured announcement can hijack "
                    + "traffic for large parts of the internet.");
    private static final Map<String, String> SUPERNOVA = document("When massive stars explode",
            "A supernova happens when the core of a massive star runs out of fuel and collapses within seconds. "
                    + "The rebound blasts the outer layers outward at thousands of kilometres per second, briefly "
                    + "outshining an entire galaxy and scattering heavy elements such as iron and gold that later "
                    + "end up in new planets.");
    private static final Map<String, String> TIDE_POOLS = document("Life in tide pools",
            "Tide pools are rocky hollows on the shore that keep seawater when the tide goes out. Anemones, hermit "
                    + "crabs, periwinkles and starfish survive there between floods, coping with waves, hot sun and "
                    + "changing salinity until the water returns.");

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    private RuntimeOptions options;
    private EmbeddedRuntime runtime;
    private String apiKey;

    @BeforeAll
    void startRuntime() throws IOException {
        options = RuntimeOptions.defaults().withDataDir(dataDir).withFreePorts();
        runtime = EmbeddedRuntime.start(options, System.out);
        apiKey = Files.readString(options.apiKeyFile()).strip();
    }

    @AfterAll
    void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void indexedDocumentsAreFoundByMeaningAndByDistinctiveTerms() {
        long sourdough = put("sourdough", SOURDOUGH);
        long bgp = put("bgp", BGP);
        long supernova = put("supernova", SUPERNOVA);
        awaitIndexed("sourdough", sourdough);
        awaitIndexed("bgp", bgp);
        awaitIndexed("supernova", supernova);

        assertThat(topHit("semantic", "keeping a fermented baking culture alive for homemade bread"))
                .isEqualTo("sourdough");
        assertThat(topHit("semantic", "how ISPs tell each other which destinations they can deliver to"))
                .isEqualTo("bgp");
        assertThat(topHit("semantic", "the violent death of a giant sun far off in the cosmos"))
                .isEqualTo("supernova");

        assertThat(topHit("keyword", "lactobacilli")).isEqualTo("sourdough");
        assertThat(topHit("keyword", "BGP")).isEqualTo("bgp");
        assertThat(topHit("keyword", "supernova")).isEqualTo("supernova");
    }

    @Test
    @Order(2)
    void anUpdateReplacesTheOldTextOnceItsVersionIsIndexed() {
        long version = put("supernova", TIDE_POOLS);
        awaitIndexed("supernova", version);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(topHit("keyword", "anemones")).isEqualTo("supernova");
            assertThat(hitIds("keyword", "supernova")).doesNotContain("supernova");
        });
        assertThat(get(options.queryApiUrl() + "/api/v1/documents/supernova").body())
                .contains("Life in tide pools");
    }

    @Test
    @Order(3)
    void aDeletedDocumentIsGoneFromSearchAndReads() {
        HttpResponse<String> deleted = send(request(options.ingestUrl() + "/api/v1/documents/bgp").DELETE());
        assertThat(deleted.statusCode()).isEqualTo(202);

        await().atMost(INDEXING_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> status("bgp").path("state").asString(), "deleted"::equals);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(hitIds("keyword", "BGP")).doesNotContain("bgp");
            assertThat(get(options.queryApiUrl() + "/api/v1/documents/bgp").statusCode()).isEqualTo(404);
        });
    }

    @Test
    @Order(4)
    void documentsAndTheApiKeySurviveARestart() throws IOException {
        runtime.close();
        runtime = EmbeddedRuntime.start(options, System.out);

        assertThat(Files.readString(options.apiKeyFile()).strip()).isEqualTo(apiKey);
        assertThat(topHit("keyword", "lactobacilli")).isEqualTo("sourdough");
        assertThat(topHit("semantic", "keeping a fermented baking culture alive for homemade bread"))
                .isEqualTo("sourdough");
        assertThat(hitIds("keyword", "BGP")).doesNotContain("bgp");
    }

    /** The demo's searches reach the analytics app through Kafka and come back through {@code docstream queries}. */
    @Test
    @Order(5)
    void afterTheDemoQueriesTopListsItsSearchesAndNonsenseShowsUnderNoResults() {
        String[] services = { "--ingest-url", options.ingestUrl(), "--query-url", options.queryApiUrl(), "--data-dir",
                dataDir.toString() };
        CliRun demo = CliRun.run(concat(new String[] { "demo" }, services));
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("(no results)");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            CliRun top = CliRun.run(concat(new String[] { "queries", "top" }, services));
            assertThat(top.exitCode()).as(top.output()).isZero();
            assertThat(top.output()).contains("maillard crust", "protecting savings when prices keep rising",
                    "temperature", "blorptax quizzlewump");
            assertThat(top.output().lines().filter(line -> line.contains("maillard crust")).findFirst().orElseThrow()
                    .split("\\s{2,}")).as("the count of the demo's keyword search").contains("1");
        });
        CliRun noResults = CliRun.run(concat(new String[] { "queries", "no-results" }, services));
        assertThat(noResults.exitCode()).as(noResults.output()).isZero();
        assertThat(noResults.output()).contains("blorptax quizzlewump").doesNotContain("maillard crust");
        CliRun summary = CliRun.run(concat(new String[] { "queries", "summary", "--json" }, services));
        assertThat(json.readTree(summary.output()).path("modes").findValuesAsString("mode"))
                .contains("keyword", "semantic", "hybrid");
    }

    private static String[] concat(String[] first, String[] second) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(second))
                .toArray(String[]::new);
    }

    private static Map<String, String> document(String title, String body) {
        return Map.of("title", title, "body", body);
    }

    /** Upserts through the ingest API and returns the accepted version. */
    private long put(String id, Map<String, String> document) {
        HttpResponse<String> response = send(request(options.ingestUrl() + "/api/v1/documents/" + id)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(document))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body()).path("version").asLong();
    }

    private void awaitIndexed(String id, long version) {
        await().atMost(INDEXING_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode status = status(id);
            assertThat(status.path("state").asString()).isNotEqualTo("failed");
            return "indexed".equals(status.path("state").asString())
                    && status.path("indexedVersion").asLong(-1) >= version;
        });
    }

    private JsonNode status(String id) {
        HttpResponse<String> response = get(options.ingestUrl() + "/api/v1/documents/" + id + "/status");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private String topHit(String mode, String query) {
        List<String> ids = hitIds(mode, query);
        assertThat(ids).as("%s hits for '%s'", mode, query).isNotEmpty();
        return ids.getFirst();
    }

    private List<String> hitIds(String mode, String query) {
        HttpResponse<String> response = get(options.queryApiUrl() + "/api/v1/search?mode=" + mode + "&k=10&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode results = json.readTree(response.body()).path("results");
        return StreamSupport.stream(results.spliterator(), false).map(hit -> hit.path("id").asString()).toList();
    }

    private HttpResponse<String> get(String url) {
        return send(request(url).GET());
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
