package io.docstream.query.cache;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.errors.NotYetConsistentException;
import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cached read path: an L1 hit asks Redis nothing (generations come from the invalidation stream), answers
 * what the controller answers, byte for byte but for the time it took; and consistency tokens make a read wait for
 * the invalidation of the version they name, on this instance, or answer 503 when it does not come in time.
 */
class HotPathIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "hot-acme";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static boolean seeded;

    @Autowired
    private QueryCaches caches;

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        seed(TENANT, "kiln", "The pottery kiln", "The kiln fires clay pots at twelve hundred degrees for a whole day.",
                Map.of("lang", "en"), 1);
        seed(TENANT, "loom", "A weaving loom", "The loom weaves wool into cloth, one thread at a time.",
                Map.of("lang", "en"), 1);
        seeded = true;
    }

    @Test
    void anL1HitAsksRedisNothingAndTheRateLimiterRarely() throws Exception {
        search("q=kiln&mode=keyword", null);
        assertThat(caches.followed(TENANT)).as("the tenant's generation now comes from the stream").isTrue();
        long gets = commandCalls("get");
        long scripts = commandCalls("evalsha") + commandCalls("eval");
        int hits = 300;
        for (int i = 0; i < hits; i++) {
            assertThat(search("q=kiln&mode=keyword", null).get("cache").asString()).isEqualTo("l1");
        }
        long scriptCalls = commandCalls("evalsha") + commandCalls("eval") - scripts;
        // Each rate-limit script reads its key with one GET inside Redis, which commandstats counts as a GET too.
        assertThat(commandCalls("get") - gets - scriptCalls).as("Redis GETs (generation, L2) during %d L1 hits", hits)
                .isZero();
        assertThat(scriptCalls).as("rate-limit scripts during %d L1 hits", hits).isLessThan(hits / 4);
    }

    @Test
    void anL1HitAnswersWhatTheControllerAnswers() throws Exception {
        HttpResponse<String> computed = get("/api/v1/search?q=wool+cloth&mode=hybrid&k=5", KEY);
        HttpResponse<String> cached = get("/api/v1/search?q=wool+cloth&mode=hybrid&k=5", KEY);

        assertThat(json(computed).get("cache").asString()).isEqualTo("miss");
        assertThat(json(cached).get("cache").asString()).isEqualTo("l1");
        assertThat(withoutVaryingFields(cached)).isEqualTo(withoutVaryingFields(computed));
        assertThat(cached.body()).startsWith(computed.body().substring(0, computed.body().indexOf("\"cache\"")));
        for (String header : new String[] {"ETag", "Cache-Control", "Content-Type", "X-Content-Type-Options",
                "Content-Security-Policy", "RateLimit-Policy"}) {
            assertThat(cached.headers().firstValue(header)).as(header).isEqualTo(computed.headers().firstValue(header));
        }
        // The same fields, as MVC's header handling may spell them: field names are case-insensitive.
        assertThat(vary(cached)).isEqualTo(vary(computed)).contains("authorization", "accept-encoding");
        assertThat(cached.headers().firstValue("X-Request-Id")).isPresent();
        String tag = cached.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> revalidated = get("/api/v1/search?q=wool+cloth&mode=hybrid&k=5", KEY, "If-None-Match",
                tag);
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
    }

    @Test
    void aReadWithATokenWaitsUntilThisInstanceAppliedTheVersionsInvalidation() throws Exception {
        search("q=twelve+hundred+degrees&mode=keyword", null);
        assertThat(json(get("/api/v1/documents/kiln", KEY)).get("version").asLong()).isEqualTo(1);
        // The indexer wrote version 2; the invalidator has not run yet.
        writeWithoutInvalidating(TENANT, "kiln", "The pottery kiln", "The kiln fires stoneware at thirteen hundred "
                + "degrees, twelve hours at a time.", 2);

        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return search("q=twelve+hundred+degrees&mode=keyword", "kiln@2");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(waiting).as("waiting for the invalidation of kiln@2").isNotDone();
        assertThat(search("q=twelve+hundred+degrees&mode=keyword", null).get("results").get(0).get("version")
                .asLong()).as("a read without the token is answered at once, as this instance stands").isEqualTo(1);

        change(TENANT, "kiln", "kiln", 2);

        JsonNode answer = waiting.get(5, TimeUnit.SECONDS);
        assertThat(answer.get("results").get(0).get("version").asLong()).isEqualTo(2);
        HttpResponse<String> read = get("/api/v1/documents/kiln?consistentWith=kiln@2", KEY);
        assertThat(json(read).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aTokenNotReachedInTimeIsAnswered503AndAMalformedOne400() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> late = get("/api/v1/search?q=loom&consistentWith=loom@99", KEY);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(late).get("type").asString()).endsWith(NotYetConsistentException.KIND);
        assertThat(json(late).get("detail").asString()).contains("loom@99");
        assertThat(late.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(tookMillis).as("bounded by docstream.cache.consistency-wait (2 s here)").isBetween(1_900L, 6_000L);

        for (String token : new String[] {"loom", "loom@", "@3", "loom@x", "lo om@3"}) {
            HttpResponse<String> malformed = get("/api/v1/documents/loom", KEY, "Consistent-With", token);
            assertThat(malformed.statusCode()).as(token).isEqualTo(400);
            assertThat(json(malformed).get("detail").asString()).as(token).contains("consistency token");
        }
    }

    @Test
    void aTokenForAVersionMadeSearchableBeforeThisInstanceFollowedTheTenantIsJudgedFromPostgres() throws Exception {
        search("q=loom&mode=keyword", null);
        long generation = caches.knownGeneration(TENANT);
        DATABASE.dsl().insertInto(INDEXING_STATUS)
                .set(INDEXING_STATUS.TENANT_ID, TENANT)
                .set(INDEXING_STATUS.DOCUMENT_ID, "loom")
                .set(INDEXING_STATUS.ACCEPTED_VERSION, 1L)
                .set(INDEXING_STATUS.INDEXED_VERSION, 1L)
                .set(INDEXING_STATUS.SEARCHABLE_VERSION, 1L)
                .set(INDEXING_STATUS.SEARCHABLE_GENERATION, generation)
                .set(INDEXING_STATUS.STATE, "indexed")
                .onConflictDoNothing()
                .execute();

        long started = System.nanoTime();
        HttpResponse<String> answer = get("/api/v1/search?q=loom&mode=keyword&consistentWith=loom@1", KEY);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
        assertThat(caches.applied(TENANT, "loom", 1)).as("remembered, so the next read asks nothing").isTrue();
    }

    private JsonNode search(String query, String consistentWith) throws Exception {
        HttpResponse<String> response = consistentWith == null ? get("/api/v1/search?" + query, KEY)
                : get("/api/v1/search?" + query, KEY, "Consistent-With", consistentWith);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static JsonNode withoutVaryingFields(HttpResponse<String> response) {
        ObjectNode body = (ObjectNode) JSON.readTree(response.body());
        body.remove("cache");
        body.remove("tookMs");
        return body;
    }

    private static Set<String> vary(HttpResponse<String> response) {
        return Arrays.stream(response.headers().firstValue("Vary").orElse("").split(","))
                .map(field -> field.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static long commandCalls(String command) {
        Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
                .matcher(REDIS.commands().info("commandstats"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
