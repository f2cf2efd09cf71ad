package io.docstream.cli.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.cli.SharedCacheRuntime;
import io.docstream.cli.dlq.DeadLetters;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.CreatedApiKey;
import io.docstream.platform.tenancy.Scope;
import io.docstream.schemas.events.UpsertDocument;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * "With tenant A's key, every endpoint and filter combination tried on tenant B's ids returns nothing of B",
 * swept over the API table on the shared embedded runtime. B's ids, words, metadata values, tenant, key, request
 * id and DLQ entry are distinctive and kept as secrets; every answer A gets (body and headers) is searched for
 * them, except a secret A itself sent in that request (a 404 names the id asked for). Each probe is first made
 * with B's key, which must find B's data (so an empty answer for A is not vacuous, and a cache that ignored the
 * tenant would now hold B's answer). A owns a document with the id of one of B's; A's writes to B's ids change
 * only A's namespace. Methods run in order: A's writes come last, after the reads they would otherwise feed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedCacheRuntime.Resolver.class)
class CrossTenantIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TENANT_A = "xt-alpha";
    private static final String TENANT_B = "xt-bravo";
    private static final String COMMON_WORD = "lighthouse";
    private static final String B_WORD = "zanzibarquux";
    private static final String B_TEAM = "b-only";
    private static final String B_REGION = "quillfjord";
    private static final List<String> B_ONLY_IDS = List.of("bravovault1", "bravovault2");
    private static final String SHARED_ID = "xtshared";
    private static final String A_ONLY_ID = "alphaown1";
    private static final String B_DLQ_ID = "bravodlq1";
    private static final long B_VERSION = 3;
    private static final long A_VERSION = 5;
    private static final String A_SHARED_TITLE = "Alpha harbour log";
    /**
     * Words of B that A itself searched for in the sweep (B's word, an id of B's): A's own search analytics and the
     * audit records of A's searches may show them; nothing else of B.
     */
    private static final String[] SEARCHED_BY_A = { B_WORD, B_ONLY_IDS.getFirst() };

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String bRequestId = "bravoreq" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> secrets = new ArrayList<>();

    private SharedCacheRuntime shared;
    private DSLContext database;
    private CreatedApiKey keyA;
    private CreatedApiKey keyB;
    private String bDlqEntry;
    private Instant started;
    private Instant bWritesFrom;

    /** One request as a client sends it; {@code body} is JSON or null. */
    record Call(String method, String url, String body) {

        static Call get(String url) {
            return new Call("GET", url, null);
        }

        String shown() {
            return method + " " + URI.create(url).getRawPath()
                    + (URI.create(url).getRawQuery() == null ? "" : "?" + URI.create(url).getRawQuery());
        }
    }

    /** An answer: status, body, headers and the body as JSON when it is JSON. */
    record Answer(int status, String body, HttpHeaders headers, JsonNode json) {

        List<String> ids(String array) {
            return json.path(array).findValuesAsString("id");
        }
    }

    @BeforeAll
    void twoTenants(SharedCacheRuntime runtime) {
        shared = runtime;
        started = Instant.now().minusSeconds(1);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://localhost:" + runtime.options().postgresPort() + "/postgres");
        dataSource.setUser("postgres");
        dataSource.setPassword("postgres");
        database = DSL.using(dataSource, SQLDialect.POSTGRES);

        UpsertDocument deadLetter = new UpsertDocument(TENANT_B, B_DLQ_ID, 1, "Zanzibarquux lost cargo",
                "A zanzibarquux manifest for tenant bravo only.", Map.of("team", B_TEAM), Instant.now());
        DeadLetters.deadLetter(shared.runtime().bootstrapServers(), deadLetter, WAIT);
        bWritesFrom = Instant.now();

        ApiKeys keys = new ApiKeys(database);
        keyA = keys.create(TENANT_A, "cross-tenant-a", EnumSet.allOf(Scope.class));
        keyB = keys.create(TENANT_B, "cross-tenant-b", EnumSet.allOf(Scope.class));

        for (String id : B_ONLY_IDS) {
            putAsB(id, "Zanzibarquux ledger " + id, "The " + COMMON_WORD + " keeper files " + B_WORD
                    + " reports under " + id + " for the " + B_REGION + " office.");
        }
        putAsB(SHARED_ID, "Zanzibarquux shared berth", "A " + COMMON_WORD + " berth booked by " + B_WORD
                + " traders in " + B_REGION + ".");
        put(keyA, SHARED_ID, Map.of("title", A_SHARED_TITLE, "body", "The " + COMMON_WORD
                + " on the alpha harbour wall shines all night.", "metadata", Map.of("team", "a-only"),
                "version", A_VERSION));
        put(keyA, A_ONLY_ID, Map.of("title", "Alpha pier notes", "body", "Fishing boats pass the " + COMMON_WORD
                + " at the end of the alpha pier.", "metadata", Map.of("team", "a-only"), "version", A_VERSION));
        for (String id : List.of(B_ONLY_IDS.get(0), B_ONLY_IDS.get(1), SHARED_ID)) {
            awaitIndexed(keyB, id, B_VERSION);
        }
        awaitIndexed(keyA, SHARED_ID, A_VERSION);
        awaitIndexed(keyA, A_ONLY_ID, A_VERSION);

        bDlqEntry = await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                asB(Call.get(ingest("/api/v1/admin/dlq"))).json().path("entries"), entries -> entries.size() == 1)
                .get(0).path("id").asString();
        String bPrefix = asB(Call.get(query(0, "/api/v1/admin/keys"))).json().path("keys").get(0).path("prefix")
                .asString();

        secrets.addAll(B_ONLY_IDS);
        secrets.addAll(List.of(B_DLQ_ID, B_WORD, B_TEAM, B_REGION, TENANT_B, bRequestId, keyB.keyId().toString(),
                keyB.plainKey(), bPrefix));
        secrets.replaceAll(secret -> secret.toLowerCase(Locale.ROOT));
        System.out.printf("cross-tenant  %s and %s ready in %d ms, %d secrets of B%n", TENANT_A, TENANT_B,
                Duration.between(started, Instant.now()).toMillis(), secrets.size());
    }

    @Test
    @Order(1)
    void searchesInEveryModeWithEveryFilterFindNothingOfB() {
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("no filter", "q=" + COMMON_WORD);
        variants.put("filter team", "q=" + COMMON_WORD + "&filter=team:" + B_TEAM);
        variants.put("filter region", "q=" + COMMON_WORD + "&filter=region:" + B_REGION);
        variants.put("B's word", "q=" + B_WORD);
        variants.put("B's id", "q=" + B_ONLY_IDS.getFirst());
        for (String mode : List.of("hybrid&fusion=rrf", "hybrid&fusion=weighted", "semantic", "keyword")) {
            for (Map.Entry<String, String> variant : variants.entrySet()) {
                String path = "/api/v1/search?mode=" + mode + "&k=10&" + variant.getValue();
                Call call = Call.get(query(0, path));
                Answer b = asB(call);
                assertThat(b.ids("results")).as("B's own search finds B's documents: %s", path)
                        .containsAnyOf(B_ONLY_IDS.get(0), B_ONLY_IDS.get(1), SHARED_ID);
                assertThat(leaks(call, b)).as("the leak check sees B's answer").isNotEmpty();
                for (int replica = 0; replica < 2; replica++) {
                    Answer a = probe(mode.replace("&fusion=", " ") + ", " + variant.getKey(),
                            Call.get(query(replica, path)));
                    assertThat(a.status()).isEqualTo(200);
                    assertThat(a.ids("results")).isSubsetOf(SHARED_ID, A_ONLY_ID);
                    if (variant.getKey().equals("no filter")) {
                        assertThat(a.ids("results")).as("A's own documents are found").contains(SHARED_ID, A_ONLY_ID);
                    }
                }
            }
        }
    }

    @Test
    @Order(2)
    void aCursorFromBsSearchIsRefusedForA() {
        for (String mode : List.of("hybrid", "semantic", "keyword")) {
            String path = "/api/v1/search?mode=" + mode + "&k=1&q=" + COMMON_WORD;
            String cursor = asB(Call.get(query(0, path))).json().path("nextCursor").asString();
            assertThat(cursor).as("B has more than one match").isNotBlank();
            String next = path + "&cursor=" + cursor;
            assertThat(asB(Call.get(query(0, next))).ids("results"))
                    .containsAnyOf(B_ONLY_IDS.get(0), B_ONLY_IDS.get(1), SHARED_ID);
            for (int replica = 0; replica < 2; replica++) {
                Answer a = probe(mode + ", B's cursor", Call.get(query(replica, next)));
                assertThat(a.status()).isEqualTo(400);
                assertThat(a.json().path("type").asString()).endsWith("/invalid-request");
            }
        }
    }

    @Test
    @Order(3)
    void documentReadsAndListingsShowOnlyAsNamespace() {
        for (String id : B_ONLY_IDS) {
            assertThat(asB(Call.get(query(0, "/api/v1/documents/" + id))).status()).isEqualTo(200);
            for (int replica = 0; replica < 2; replica++) {
                assertThat(probe("B's document", Call.get(query(replica, "/api/v1/documents/" + id))).status())
                        .isEqualTo(404);
            }
        }
        assertThat(asB(Call.get(query(0, "/api/v1/documents/" + SHARED_ID))).json().path("version").asLong())
                .isEqualTo(B_VERSION);
        for (int replica = 0; replica < 2; replica++) {
            Answer a = probe("the id both own", Call.get(query(replica, "/api/v1/documents/" + SHARED_ID)));
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().path("title").asString()).isEqualTo(A_SHARED_TITLE);
            assertThat(a.json().path("version").asLong()).isEqualTo(A_VERSION);
        }

        assertThat(asB(Call.get(query(0, "/api/v1/documents?limit=100"))).ids("documents"))
                .containsExactly(B_ONLY_IDS.get(0), B_ONLY_IDS.get(1), SHARED_ID);
        assertThat(probe("listing", Call.get(query(0, "/api/v1/documents?limit=100"))).ids("documents"))
                .containsExactly(A_ONLY_ID, SHARED_ID);
        String cursor = asB(Call.get(query(0, "/api/v1/documents?limit=1"))).json().path("nextCursor").asString();
        assertThat(cursor).isNotBlank();
        Answer paged = probe("listing, B's cursor", Call.get(query(1, "/api/v1/documents?limit=1&cursor=" + cursor)));
        assertThat(paged.status()).isIn(200, 400);
        if (paged.status() == 200) {
            assertThat(paged.ids("documents")).isSubsetOf(SHARED_ID, A_ONLY_ID);
        }
    }

    @Test
    @Order(4)
    void theAuditTrailWithEveryFilterShowsNothingOfB() {
        String actorB = "key:" + keyB.keyId();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                asB(Call.get(query(0, "/api/v1/audit?requestId=" + bRequestId))).ids("events").size() >= 3
                        && asB(Call.get(query(0, "/api/v1/audit?action=document.indexed"))).ids("events").size() >= 3
                        && !asB(Call.get(query(0, "/api/v1/audit?action=search"))).ids("events").isEmpty());
        String window = "since=" + started + "&until=" + Instant.now().plusSeconds(60);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("none", "");
        filters.put("action upsert", "action=document.upsert");
        filters.put("action indexed", "action=document.indexed");
        filters.put("action search", "action=search");
        filters.put("actor B's key", "actor=" + actorB);
        filters.put("actor indexer", "actor=system:indexer");
        filters.put("B's request id", "requestId=" + bRequestId);
        filters.put("since/until", window);
        filters.put("all of them", "actor=" + actorB + "&action=document.upsert&requestId=" + bRequestId + "&"
                + window);
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            String path = "/api/v1/audit?limit=500&" + filter.getValue();
            assertThat(asB(Call.get(query(0, path))).ids("events")).as("B's own audit: %s", path).isNotEmpty();
            Answer a = probe("audit, " + filter.getKey(), Call.get(query(1, path)), SEARCHED_BY_A);
            assertThat(a.status()).isEqualTo(200);
            if (filter.getValue().contains(actorB) || filter.getValue().contains(bRequestId)) {
                assertThat(a.ids("events")).isEmpty();
            }
        }
        String cursor = asB(Call.get(query(0, "/api/v1/audit?limit=1"))).json().path("nextCursor").asString();
        assertThat(cursor).isNotBlank();
        Answer paged = probe("audit, B's cursor", Call.get(query(0, "/api/v1/audit?limit=1&cursor=" + cursor)),
                SEARCHED_BY_A);
        assertThat(paged.status()).isEqualTo(400);
    }

    /**
     * Search analytics count each tenant's own searches. B asks for its region, which A never searched for; A's
     * listings may show the words A itself searched for in the sweep above ({@link #SEARCHED_BY_A}), nothing else.
     */
    @Test
    @Order(5)
    void searchAnalyticsCountOnlyAsOwnSearches() {
        asB(Call.get(query(0, "/api/v1/search?mode=keyword&q=" + B_REGION)));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
                asB(Call.get(query(0, "/api/v1/admin/analytics/queries?kind=top&limit=500"))).body().contains(B_REGION));
        assertThat(asB(Call.get(query(0, "/api/v1/admin/analytics/summary"))).json().path("modes")).isNotEmpty();

        for (String kind : List.of("top", "no-results", "slow")) {
            for (int replica = 0; replica < 2; replica++) {
                Answer a = probe("analytics " + kind, Call.get(query(replica, "/api/v1/admin/analytics/queries?kind="
                        + kind + "&limit=500")), SEARCHED_BY_A);
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.body()).doesNotContain(B_REGION);
            }
        }
        Answer top = probe("analytics top, A's searches", Call.get(query(0, "/api/v1/admin/analytics/queries?kind=top"
                + "&limit=500")), SEARCHED_BY_A);
        assertThat(top.json().path("queries").findValuesAsString("query")).as("A's own searches are counted")
                .contains(COMMON_WORD);
        probe("analytics summary", Call.get(query(1, "/api/v1/admin/analytics/summary")));
    }

    @Test
    @Order(6)
    void statusAndKeysAreAsOwnAndBsKeyCannotBeRevokedByA() {
        Answer bStatus = asB(Call.get(query(0, "/api/v1/admin/status")));
        assertThat(bStatus.json().path("counts").path("postgres").asLong()).isEqualTo(3);
        Answer status = probe("status", Call.get(query(0, "/api/v1/admin/status")));
        assertThat(status.json().path("tenant").asString()).isEqualTo(TENANT_A);
        assertThat(status.json().path("counts").path("postgres").asLong()).isEqualTo(2);
        assertThat(status.json().path("counts").path("index").asLong()).isEqualTo(2);
        Answer cache = probe("cache settings", new Call("PUT", query(0, "/api/v1/admin/cache"),
                "{\"searchInvalidation\": \"generation\"}"));
        assertThat(cache.json().path("tenant").asString()).isEqualTo(TENANT_A);
        assertThat(asB(Call.get(query(0, "/api/v1/admin/cache"))).json().path("searchInvalidation").asString())
                .as("A's override is A's alone").isEqualTo("selective");
        probe("cache settings reset", new Call("PUT", query(0, "/api/v1/admin/cache"), "{\"searchInvalidation\": null}"));

        String bKeyId = keyB.keyId().toString();
        assertThat(asB(Call.get(query(0, "/api/v1/admin/keys"))).ids("keys")).containsExactly(bKeyId);
        assertThat(probe("keys", Call.get(query(1, "/api/v1/admin/keys"))).ids("keys"))
                .containsExactly(keyA.keyId().toString());
        assertThat(probe("create a key for B", new Call("POST", query(0, "/api/v1/admin/keys"),
                "{\"name\": \"intruder\", \"scopes\": [\"search\"], \"tenant\": \"" + TENANT_B + "\"}")).status())
                .isEqualTo(400);
        for (int replica = 0; replica < 2; replica++) {
            assertThat(probe("revoke B's key", new Call("DELETE", query(replica, "/api/v1/admin/keys/" + bKeyId),
                    null)).status()).isEqualTo(404);
        }
        assertThat(probe("keys without an id", new Call("DELETE", query(0, "/api/v1/admin/keys"), null)).status())
                .isEqualTo(405);
        JsonNode bKeys = asB(Call.get(query(0, "/api/v1/admin/keys"))).json().path("keys");
        assertThat(bKeys.get(0).path("revokedAt").isNull()).as("B's key is still live: %s", bKeys).isTrue();
        assertThat(asB(Call.get(query(1, "/api/v1/search?q=" + B_WORD))).status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void ingestStatusAndTheDeadLetterQueueShowAndTouchNothingOfB() {
        for (String id : B_ONLY_IDS) {
            assertThat(asB(Call.get(ingest("/api/v1/documents/" + id + "/status"))).json().path("state").asString())
                    .isEqualTo("indexed");
            assertThat(probe("B's status", Call.get(ingest("/api/v1/documents/" + id + "/status"))).status())
                    .isEqualTo(404);
        }
        assertThat(probe("status of the id both own", Call.get(ingest("/api/v1/documents/" + SHARED_ID + "/status")))
                .json().path("acceptedVersion").asLong()).isEqualTo(A_VERSION);

        String entry = "/api/v1/admin/dlq/" + bDlqEntry;
        assertThat(asB(Call.get(ingest(entry))).json().path("documentId").asString()).isEqualTo(B_DLQ_ID);
        for (String listing : List.of("/api/v1/admin/dlq", "/api/v1/admin/dlq?order=oldest&limit=1000")) {
            assertThat(probe("dlq", Call.get(ingest(listing))).json().path("total").asInt()).isZero();
        }
        assertThat(probe("B's dlq entry", Call.get(ingest(entry))).status()).isEqualTo(404);
        assertThat(probe("redrive B's entry", new Call("POST", ingest(entry + "/redrive"), null)).status())
                .isEqualTo(404);
        assertThat(probe("redrive all", new Call("POST", ingest("/api/v1/admin/dlq/redrive"), null)).json()
                .path("count").asInt()).isZero();
        assertThat(probe("purge", new Call("DELETE", ingest("/api/v1/admin/dlq"), null)).json().path("purged")
                .asInt()).isZero();
        JsonNode after = asB(Call.get(ingest(entry))).json();
        assertThat(after.path("documentId").asString()).isEqualTo(B_DLQ_ID);
        assertThat(after.path("redriven").asBoolean()).isFalse();
    }

    /**
     * The indexer's replay and reindex state belongs to the cluster, not to a tenant, and still names nothing of B,
     * not even after B replayed its own documents (a short replay from B's first write, as the replay tests do on
     * this runtime). Metrics are unauthenticated like health and label freshness per tenant (as documented), so
     * B's tenant name is the one secret they may show.
     */
    @Test
    @Order(8)
    void indexerAdminAndActuatorAnswersNameNothingOfB() {
        String indexer = "http://localhost:" + shared.options().indexerPort();
        String replay = indexer + "/api/v1/admin/replay";
        assertThat(probe("replay B's documents", new Call("POST", replay, "{\"from\": \"earliest\", \"tenant\": \""
                + TENANT_B + "\", \"stopIndexer\": true}")).status()).isEqualTo(403);
        asB(new Call("POST", replay, "{\"from\": \"" + bWritesFrom + "\", \"tenant\": \"" + TENANT_B
                + "\", \"stopIndexer\": true}"));
        JsonNode replayed = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(
                () -> asB(Call.get(replay)).json(), status -> !"running".equals(status.path("state").asString()));
        assertThat(replayed.path("state").asString()).as(replayed.toString()).isEqualTo("done");
        assertThat(replayed.path("tenant").asString()).isEqualTo(TENANT_B);
        assertThat(replayed.path("reapplied").asLong()).isEqualTo(3);
        JsonNode seenByA = probe("replay", Call.get(replay)).json();
        assertThat(seenByA.path("state").asString()).isEqualTo("done");
        assertThat(seenByA.has("tenant") || seenByA.has("reapplied")).as(seenByA.toString()).isFalse();
        probe("reindex", Call.get(indexer + "/api/v1/admin/reindex"));
        List<String> services = List.of(shared.ingestUrl(), shared.queryUrls().get(0), shared.queryUrls().get(1),
                indexer, "http://localhost:" + shared.options().invalidatorPort());
        for (String service : services) {
            probe("health", Call.get(service + "/actuator/health"));
            probe("readiness", Call.get(service + "/actuator/health/readiness"));
            probe("metrics", Call.get(service + "/actuator/prometheus"), TENANT_B);
        }
    }

    @Test
    @Order(9)
    void writesToBsIdsWithAsKeyChangeOnlyAsNamespace() {
        long deleted = probe("delete B's id", new Call("DELETE", ingest("/api/v1/documents/" + B_ONLY_IDS.get(0)),
                null)).json().path("version").asLong();
        long replaced = probe("put B's id", new Call("PUT", ingest("/api/v1/documents/" + B_ONLY_IDS.get(1)),
                "{\"title\": \"Alpha takeover\", \"body\": \"Alpha writes here.\"}")).json().path("version").asLong();
        Answer batch = probe("batch on the id both own", new Call("POST", ingest("/api/v1/documents:batch"),
                "[{\"id\": \"" + SHARED_ID + "\", \"title\": \"" + A_SHARED_TITLE + "\", \"body\": \"Alpha again.\","
                        + " \"version\": " + (A_VERSION + 1) + "}]"));
        assertThat(batch.status()).isEqualTo(202);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                asA(Call.get(ingest("/api/v1/documents/" + B_ONLY_IDS.get(0) + "/status"))).json().path("state")
                        .asString().equals("deleted"));
        awaitIndexed(keyA, B_ONLY_IDS.get(1), replaced);
        awaitIndexed(keyA, SHARED_ID, A_VERSION + 1);
        assertThat(deleted).isPositive();

        for (String id : List.of(B_ONLY_IDS.get(0), B_ONLY_IDS.get(1), SHARED_ID)) {
            Record row = database.select(DSL.field("version"), DSL.field("title"), DSL.field("deleted"))
                    .from("documents").where(DSL.field("tenant_id").eq(TENANT_B), DSL.field("document_id").eq(id))
                    .fetchOne();
            assertThat(row).as("B's %s is still there", id).isNotNull();
            assertThat(row.get(0, Long.class)).isEqualTo(B_VERSION);
            assertThat(row.get(1, String.class)).contains("Zanzibarquux");
            assertThat(row.get(2, Boolean.class)).isFalse();
            JsonNode status = asB(Call.get(ingest("/api/v1/documents/" + id + "/status"))).json();
            assertThat(status.path("state").asString()).isEqualTo("indexed");
            assertThat(status.path("indexedVersion").asLong()).isEqualTo(B_VERSION);
        }
        assertThat(asB(Call.get(query(1, "/api/v1/search?mode=keyword&k=9&q=" + B_WORD))).ids("results"))
                .containsExactlyInAnyOrder(B_ONLY_IDS.get(0), B_ONLY_IDS.get(1), SHARED_ID);
        assertThat(asA(Call.get(query(0, "/api/v1/documents/" + B_ONLY_IDS.get(1)))).json().path("title").asString())
                .isEqualTo("Alpha takeover");
    }

    /**
     * Sends a call with A's key, prints it as a row, and fails on a 5xx or on any of B's secrets in the answer
     * other than {@code allowed} ones.
     */
    private Answer probe(String label, Call call, String... allowed) {
        Answer answer = asA(call);
        List<String> found = leaks(call, answer);
        List<String> leaked = found.stream().filter(secret -> !List.of(allowed).contains(secret)).toList();
        System.out.printf("cross-tenant  %-30s %-100s -> %d %s%s%n", label, call.shown(), answer.status(),
                leaked.isEmpty() ? "nothing of B" : "LEAKS " + leaked,
                found.size() > leaked.size() ? " (shows " + TENANT_B + ", allowed)" : "");
        assertThat(answer.status()).as("%s %s: %s", call.method(), call.url(), answer.body()).isLessThan(500);
        assertThat(leaked).as("%s %s answered %s", call.method(), call.url(), answer.body()).isEmpty();
        return answer;
    }

    /**
     * B's secrets in the answer's headers and body, leaving out those A sent in this very request (an error may
     * name the id asked for); each of B's documents has several secrets, so one left out never hides the others.
     */
    private List<String> leaks(Call call, Answer answer) {
        String sent = URLDecoder.decode(call.url(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT) + " "
                + String.valueOf(call.body()).toLowerCase(Locale.ROOT);
        String received = (answer.headers().map() + "\n" + answer.body()).toLowerCase(Locale.ROOT);
        List<String> checked = secrets.stream().filter(secret -> !sent.contains(secret)).toList();
        assertThat(checked).as("secrets left to look for").hasSizeGreaterThan(secrets.size() - 3);
        return checked.stream().filter(received::contains).toList();
    }

    private Answer asA(Call call) {
        return send(call, keyA.plainKey(), null);
    }

    private Answer asB(Call call) {
        Answer answer = send(call, keyB.plainKey(), null);
        assertThat(answer.status()).as("B: %s %s: %s", call.method(), call.url(), answer.body()).isLessThan(300);
        return answer;
    }

    private void putAsB(String id, String title, String body) {
        Map<String, Object> document = Map.of("title", title, "body", body, "metadata",
                Map.of("team", B_TEAM, "region", B_REGION), "version", B_VERSION);
        Answer answer = send(new Call("PUT", ingest("/api/v1/documents/" + id), json.writeValueAsString(document)),
                keyB.plainKey(), bRequestId);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    private void put(CreatedApiKey key, String id, Map<String, Object> document) {
        Answer answer = send(new Call("PUT", ingest("/api/v1/documents/" + id), json.writeValueAsString(document)),
                key.plainKey(), null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    private void awaitIndexed(CreatedApiKey key, String id, long version) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode status = send(Call.get(ingest("/api/v1/documents/" + id + "/status")), key.plainKey(), null)
                    .json();
            assertThat(status.path("state").asString()).isNotEqualTo("failed");
            return "indexed".equals(status.path("state").asString())
                    && status.path("indexedVersion").asLong(-1) >= version;
        });
    }

    private Answer send(Call call, String apiKey, String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url())).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            request.header("Content-Type", "application/json");
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode node = body.startsWith("{") || body.startsWith("[") ? json.readTree(body)
                    : MissingNode.getInstance();
            return new Answer(response.statusCode(), body, response.headers(), node);
        } catch (IOException e) {
            throw new IllegalStateException(call.url() + " could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String query(int replica, String path) {
        return shared.queryUrls().get(replica) + path;
    }

    private String ingest(String path) {
        return shared.ingestUrl() + path;
    }
}
