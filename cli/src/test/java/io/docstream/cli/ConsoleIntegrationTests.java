package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.run.RunCommand;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The console as HTTP sees it on the shared embedded runtime: its page and policy, the endpoints it relies on
 * ({@code /api/v1/me}, chunks, {@code explain=true}) and the CORS that lets it write to ingest from query-api's origin
 * only. What a browser makes of it: {@code ConsoleBrowserIntegrationTests}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class ConsoleIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_HANDLER_OR_STYLE = Pattern.compile("\\s(on[a-z]+|style)\\s*=|<style",
            Pattern.CASE_INSENSITIVE);

    private SharedCacheRuntime runtime;
    private ApiClient api;
    private String queryUrl;

    @BeforeAll
    void documents(SharedCacheRuntime runtime) {
        this.runtime = runtime;
        this.api = new ApiClient(runtime.apiKey());
        this.queryUrl = runtime.queryUrls().getFirst();
        put("console-http-1", "Sourdough starter feeding", "Feed the sourdough starter flour and water every day.");
        put("console-http-2", "Rye bread baking", "Rye bread with a sourdough starter bakes dense and sour.");
        put("console-http-3", "Harbour tides", "Tides rise and fall twice a day in the harbour.");
        await().atMost(WAIT).until(() -> List.of("console-http-1", "console-http-2", "console-http-3").stream()
                .allMatch(id -> "indexed".equals(api.get(runtime.ingestUrl() + "/api/v1/documents/" + id + "/status")
                        .json().path("state").asString())));
    }

    private void put(String id, String title, String body) {
        assertThat(api.put(runtime.ingestUrl() + "/api/v1/documents/" + id, Map.of("title", title, "body", body))
                .status()).isEqualTo(202);
    }

    @Test
    void theConsolePageAllowsScriptsStylesAndConnectionsFromDocstreamOnly() {
        ApiClient.Answer page = api.get(RunCommand.consoleUrl(runtime.options()));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("default-src 'none'", "script-src 'self';", "style-src 'self';",
                "connect-src 'self' " + runtime.ingestUrl() + ";", "frame-ancestors 'none'", "base-uri 'none'");
        assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval", "*", "https:", "data:");
        assertThat(page.body()).contains("<script src=\"/console/console.js\" defer></script>");
        assertThat(INLINE_SCRIPT.matcher(page.body()).find()).as("inline script").isFalse();
        assertThat(INLINE_HANDLER_OR_STYLE.matcher(page.body()).find()).as("inline handler or style").isFalse();
        for (String asset : List.of("/console/console.js", "/console/console.css")) {
            ApiClient.Answer answer = api.get(queryUrl + asset);
            assertThat(answer.status()).as(asset).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValue(policy);
        }
        assertThat(api.get(queryUrl + "/console/settings.json").json().path("ingestUrl").asString())
                .isEqualTo(runtime.ingestUrl());
    }

    @Test
    void aKeyLearnsItsTenantAndScopesAndAWrongKeyIsRefused() {
        JsonNode me = api.get(queryUrl + "/api/v1/me").json();
        assertThat(me.path("tenant").asString()).isEqualTo("demo");
        assertThat(me.path("scopes").valueStream().map(JsonNode::asString)).contains("admin", "search", "ingest");
        assertThat(me.has("key")).isFalse();

        ApiClient.Answer wrong = new ApiClient("ds_not-a-key").get(queryUrl + "/api/v1/me");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("detail").asString()).isEqualTo("The API key is not valid.");
    }

    @Test
    void ingestAnswersTheConsolesOriginAndNoOther() {
        String statusUrl = runtime.ingestUrl() + "/api/v1/documents/console-http-1/status";
        ApiClient.Answer preflight = api.send("OPTIONS", runtime.ingestUrl() + "/api/v1/documents", Map.of(
                "Origin", queryUrl, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type"));
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(queryUrl);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        ApiClient.Answer read = api.send("GET", statusUrl, Map.of("Origin", queryUrl));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(queryUrl);

        ApiClient.Answer foreign = api.send("OPTIONS", runtime.ingestUrl() + "/api/v1/documents", Map.of(
                "Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void chunksOfADocumentAreItsCurrentVersionsInOrder() {
        JsonNode chunks = api.get(queryUrl + "/api/v1/documents/console-http-2/chunks").json();

        assertThat(chunks.path("id").asString()).isEqualTo("console-http-2");
        assertThat(chunks.path("chunks").size()).isPositive();
        assertThat(chunks.path("chunks").get(0).path("index").asInt()).isZero();
        assertThat(chunks.path("chunks").get(0).path("text").asString()).contains("Rye bread");
        assertThat(api.get(queryUrl + "/api/v1/documents/console-http-none/chunks").status()).isEqualTo(404);
    }

    @Test
    void anExplainedRrfScoreIsTheSumOfItsReciprocalRanks() {
        assertEveryFusedScoreIs("rrf", (explanation, parts) -> {
            int k = explanation.path("rankConstant").asInt();
            return reciprocal(parts.path("keywordRank"), k) + reciprocal(parts.path("denseRank"), k);
        });
    }

    @Test
    void anExplainedWeightedScoreIsTheWeightedSumOfItsNormalisedScores() {
        assertEveryFusedScoreIs("weighted", (explanation, parts) ->
                explanation.path("keywordWeight").asDouble()
                        * normalised(parts.path("keywordScore"), explanation.path("keyword"))
                + explanation.path("semanticWeight").asDouble()
                        * normalised(parts.path("denseScore"), explanation.path("dense")));
    }

    /** Every result of an explained search fused by {@code fusion} scores what its parts give, and is a whole answer. */
    private void assertEveryFusedScoreIs(String fusion, ToDoubleBiFunction<JsonNode, JsonNode> fromParts) {
        ApiClient.Answer answer = api.get(queryUrl + "/api/v1/search?explain=true&k=5&fusion=" + fusion + "&q="
                + URLEncoder.encode("sourdough starter bread", StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("degraded").size()).isZero();
        JsonNode explanation = answer.json().path("explanation");
        assertThat(explanation.path("fusion").asString()).isEqualTo(fusion);
        JsonNode results = answer.json().path("results");
        assertThat(results.size()).isPositive();
        assertThat(results.get(0).path("explain").path("keywordRank").isNull()).isFalse();
        for (JsonNode result : results) {
            JsonNode parts = result.path("explain");
            assertThat(parts.path("fusedScore").asDouble())
                    .isCloseTo(fromParts.applyAsDouble(explanation, parts), within(1e-9));
            assertThat(result.path("score").asDouble()).isEqualTo(parts.path("fusedScore").asDouble());
        }
    }

    @Test
    void explainedAnswersAreNeverCachedNorServedForPlainOnes() {
        String plain = queryUrl + "/api/v1/search?q=sourdough+starter";
        api.get(plain);
        assertThat(api.get(plain).json().path("cache").asString()).isIn("l1", "l2");

        JsonNode explained = api.get(plain + "&explain=true").json();
        assertThat(explained.path("cache").asString()).isEqualTo("bypass");
        assertThat(explained.path("results").get(0).has("explain")).isTrue();
        assertThat(api.get(plain).json().path("results").get(0).has("explain")).isFalse();
        assertThat(api.get(plain + "&explain=yes").status()).isEqualTo(400);
    }

    private static double reciprocal(JsonNode rank, int k) {
        return rank.isNull() || rank.isMissingNode() ? 0 : 1.0 / (k + rank.asInt());
    }

    private static double normalised(JsonNode score, JsonNode scale) {
        if (score.isNull() || score.isMissingNode()) {
            return 0;
        }
        double divisor = scale.path("divisor").asDouble();
        return divisor > 0 ? (score.asDouble() - scale.path("min").asDouble()) / divisor : 1.0;
    }
}
