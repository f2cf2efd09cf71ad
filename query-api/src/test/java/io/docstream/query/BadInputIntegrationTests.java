package io.docstream.query;

import static io.docstream.platform.web.HostileRequests.assertProblem;
import static io.docstream.schemas.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.HostileRequests;
import io.docstream.platform.web.ProblemException;
import io.docstream.schemas.db.Routines;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The bad-input table for the query API: malformed and hostile parameters, paths, cursors, methods, media
 * types and keys are each answered with the documented 4xx problem, never a 5xx and never with internals;
 * injection strings find nothing or only the caller's own documents; after them all (the last test), the
 * documents are all still there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "badinput-acme";
    private static final String OTHER_TENANT = "badinput-umbrella";
    private static final String KEY = createKey(TENANT, Scope.SEARCH);
    private static final String ADMIN_KEY = createKey(TENANT, Scope.ADMIN);
    private static final String OTHER_KEY = createKey(OTHER_TENANT, Scope.SEARCH);
    private static final String OTHER_ADMIN_KEY = createKey(OTHER_TENANT, Scope.ADMIN);
    private static final String INGEST_KEY = createKey(TENANT, Scope.INGEST);
    private static final Set<String> OWN_IDS = Set.of("stream-1", "stream-2", "stream-3");
    private static final List<String> INJECTIONS = List.of("' OR 1=1 --", "\"; DROP TABLE documents;--", "title:*",
            "*:*", "AND OR NOT ((", "\\\"", "~", "^10", "kafka~2 OR tenant_id:badinput-umbrella", "%", "_", "*");
    private static boolean seeded;

    /** One row of the table: a request and the problem it must get. */
    record Case(String name, String method, String path, Map<String, String> headers, byte[] body, int status,
            String slug, String detailMentions) {

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        for (String id : OWN_IDS) {
            seed(TENANT, id, "Streaming " + id, "Apache Kafka streams events through partitioned logs; note " + id
                    + ".", Map.of("lang", "en"), 1);
        }
        seed(OTHER_TENANT, "secret-1", "Umbrella secret", "Apache Kafka streams the umbrella secret formula.",
                Map.of("lang", "en"), 1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < 3; i++) {
            auditRow(TENANT, "key:alice", "document.upsert", now.minusSeconds(i));
        }
        auditRow(OTHER_TENANT, "key:alice", "document.upsert", now);
        seeded = true;
    }

    static Stream<Case> table() {
        String tooLong = "a".repeat(129);
        List<String> seventeenFilters = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            seventeenFilters.add("filter=k" + i + ":v");
        }
        String garbageDocumentCursor = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("d1:' OR 1=1 --".getBytes(StandardCharsets.UTF_8));
        String forgedSearchCursor = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("s1:5:000000000000000000000000".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                // search: q
                search("missing q", "", "'q'"),
                search("blank q", "q=%20%20%09", "'q'"),
                search("over-long q", "q=" + "a".repeat(1001), "'q'"),
                search("NUL in q", "q=kafka%00streams", "NUL"),
                search("invalid UTF-8 in q", "q=%FF%FEkafka", "UTF-8"),
                search("truncated percent escape in q", "q=kafka%E2%82", "UTF-8"),
                // search: k
                search("zero k", "q=kafka&k=0", "'k'"),
                search("negative k", "q=kafka&k=-1", "'k'"),
                search("huge k", "q=kafka&k=101", "'k'"),
                search("k beyond an int", "q=kafka&k=99999999999", "'k'"),
                search("non-numeric k", "q=kafka&k=ten", "'k'"),
                // search: mode, fusion, filters
                search("unknown mode", "q=kafka&mode=sql", "'mode'"),
                search("unknown fusion", "q=kafka&fusion=max", "'fusion'"),
                search("filter without a colon", "q=kafka&filter=lang", "'filter'"),
                search("filter without a value", "q=kafka&filter=lang:", "'filter'"),
                search("SQL injection as a filter key", "q=kafka&filter=" + encode("' OR 1=1 --") + ":x", "'filter'"),
                search("NUL in a filter value", "q=kafka&filter=lang:e%00n", "NUL"),
                search("contradictory filters", "q=kafka&filter=lang:en&filter=lang:de", "'lang'"),
                search("too many filters", "q=kafka&" + String.join("&", seventeenFilters), "filters"),
                // search: cursors
                search("cursor that is not base64", "q=kafka&cursor=" + encode("!!not base64!!"), "'cursor'"),
                search("cursor of base64 garbage", "q=kafka&cursor=Zm9vYmFyYmF6", "'cursor'"),
                search("forged cursor", "q=kafka&cursor=" + forgedSearchCursor, "'cursor'"),
                // documents
                get("SQL injection in a document id", "/api/v1/documents/%27%20OR%201%3D1%20--", KEY, 400,
                        ProblemException.INVALID_REQUEST, "path"),
                get("drop table in a document id", "/api/v1/documents/%22%3B%20DROP%20TABLE%20documents%3B--", KEY, 400,
                        ProblemException.INVALID_REQUEST, "path"),
                get("over-long document id", "/api/v1/documents/" + tooLong, KEY, 400, ProblemException.INVALID_REQUEST,
                        "path"),
                get("control character in a document id", "/api/v1/documents/a%07b", KEY, 400,
                        ProblemException.INVALID_REQUEST, "path"),
                get("another tenant's document", "/api/v1/documents/secret-1", KEY, 404, ProblemException.NOT_FOUND,
                        null),
                get("a document that never was", "/api/v1/documents/never-" + UUID.randomUUID(), KEY, 404,
                        ProblemException.NOT_FOUND, null),
                get("zero limit", "/api/v1/documents?limit=0", KEY, 400, ProblemException.INVALID_REQUEST, "'limit'"),
                get("negative limit", "/api/v1/documents?limit=-5", KEY, 400, ProblemException.INVALID_REQUEST,
                        "'limit'"),
                get("huge limit", "/api/v1/documents?limit=101", KEY, 400, ProblemException.INVALID_REQUEST, "'limit'"),
                get("limit beyond an int", "/api/v1/documents?limit=99999999999", KEY, 400,
                        ProblemException.INVALID_REQUEST, "'limit'"),
                get("non-numeric limit", "/api/v1/documents?limit=all", KEY, 400, ProblemException.INVALID_REQUEST,
                        "'limit'"),
                get("listing cursor of garbage", "/api/v1/documents?cursor=%21%21", KEY, 400,
                        ProblemException.INVALID_REQUEST, "'cursor'"),
                get("listing cursor holding SQL", "/api/v1/documents?cursor=" + garbageDocumentCursor, KEY, 400,
                        ProblemException.INVALID_REQUEST, "'cursor'"),
                // audit
                get("zero audit limit", "/api/v1/audit?limit=0", ADMIN_KEY, 400, ProblemException.INVALID_REQUEST,
                        "'limit'"),
                get("huge audit limit", "/api/v1/audit?limit=501", ADMIN_KEY, 400, ProblemException.INVALID_REQUEST,
                        "'limit'"),
                get("non-numeric audit limit", "/api/v1/audit?limit=%27%20OR%201%3D1", ADMIN_KEY, 400,
                        ProblemException.INVALID_REQUEST, "'limit'"),
                get("since that is not an instant", "/api/v1/audit?since=yesterday", ADMIN_KEY, 400,
                        ProblemException.INVALID_REQUEST, "'since'"),
                get("since after until", "/api/v1/audit?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
                        ADMIN_KEY, 400, ProblemException.INVALID_REQUEST, "'since'"),
                get("NUL in an audit filter", "/api/v1/audit?actor=key%00", ADMIN_KEY, 400,
                        ProblemException.INVALID_REQUEST, "NUL"),
                get("over-long audit filter", "/api/v1/audit?action=" + "x".repeat(201), ADMIN_KEY, 400,
                        ProblemException.INVALID_REQUEST, "'action'"),
                get("audit cursor of garbage", "/api/v1/audit?cursor=YTE6Zm9v", ADMIN_KEY, 400,
                        ProblemException.INVALID_REQUEST, "'cursor'"),
                get("invalid UTF-8 in an audit filter", "/api/v1/audit?actor=%C3%28", ADMIN_KEY, 400,
                        ProblemException.INVALID_REQUEST, "UTF-8"),
                // methods, media types, sizes, paths
                new Case("unsupported method on search", "POST", "/api/v1/search?q=kafka", auth(KEY), null, 405,
                        ProblemException.METHOD_NOT_ALLOWED, null),
                new Case("DELETE on a document", "DELETE", "/api/v1/documents/stream-1", auth(KEY), null, 405,
                        ProblemException.METHOD_NOT_ALLOWED, null),
                new Case("body over max-request-size", "GET", "/api/v1/search?q=kafka", auth(KEY),
                        new byte[1024 * 1024 + 1], 413, ProblemException.PAYLOAD_TOO_LARGE, null),
                get("unknown path (no key may use a path without an access rule)", "/api/v1/nothing-here", KEY, 403,
                        ProblemException.FORBIDDEN, null),
                // refused by the servlet container before any filter runs
                get("encoded slashes in a document id", "/api/v1/documents/..%2F..%2Fetc%2Fpasswd/status", KEY, 400,
                        ProblemException.INVALID_REQUEST, null),
                new Case("request header over the container's limit", "GET", "/api/v1/search?q=kafka",
                        with(auth(KEY), "X-Padding", "p".repeat(20_000)), null, 400, ProblemException.INVALID_REQUEST,
                        null),
                // validators and encodings
                new Case("If-None-Match that is not an entity tag", "GET", "/api/v1/documents/stream-1",
                        with(auth(KEY), "If-None-Match", "abc"), null, 400, ProblemException.INVALID_REQUEST,
                        "If-None-Match"),
                new Case("weak If-None-Match without quotes on search", "GET", "/api/v1/search?q=kafka",
                        with(auth(KEY), "If-None-Match", "W/abc"), null, 400, ProblemException.INVALID_REQUEST,
                        "If-None-Match"),
                new Case("over-long If-None-Match", "GET", "/api/v1/documents/stream-1",
                        with(auth(KEY), "If-None-Match", "\"" + "a".repeat(3000) + "\""), null, 400,
                        ProblemException.INVALID_REQUEST, "If-None-Match"),
                new Case("unknown Content-Encoding", "POST", "/api/v1/admin/keys",
                        with(with(auth(ADMIN_KEY), "Content-Type", "application/json"), "Content-Encoding", "br"),
                        "{}".getBytes(StandardCharsets.UTF_8), 415, ProblemException.UNSUPPORTED_MEDIA_TYPE, "br"),
                new Case("body that is not the gzip it says it is", "POST", "/api/v1/admin/keys",
                        with(with(auth(ADMIN_KEY), "Content-Type", "application/json"), "Content-Encoding", "gzip"),
                        "{\"name\": \"x\"}".getBytes(StandardCharsets.UTF_8), 400, ProblemException.INVALID_REQUEST,
                        "gzip"),
                // authorization
                new Case("missing Authorization", "GET", "/api/v1/search?q=kafka", Map.of(), null, 401,
                        ProblemException.UNAUTHORIZED, null),
                new Case("Basic instead of Bearer", "GET", "/api/v1/search?q=kafka",
                        Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes())), null,
                        401, ProblemException.UNAUTHORIZED, null),
                get("invalid key", "/api/v1/search?q=kafka", "ds_forged", 401, ProblemException.UNAUTHORIZED, null),
                get("SQL injection as the key", "/api/v1/search?q=kafka", "' OR 1=1 --", 401,
                        ProblemException.UNAUTHORIZED, null),
                get("ingest key on search", "/api/v1/search?q=kafka", INGEST_KEY, 403, ProblemException.FORBIDDEN,
                        null),
                get("search key on the audit trail", "/api/v1/audit", KEY, 403, ProblemException.FORBIDDEN, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void answersTheDocumentedProblem(Case request) throws Exception {
        HttpResponse<String> response = new HostileRequests(port).send(request.method(), request.path(),
                request.headers(), request.body());

        JsonNode problem = assertProblem(response, request.status(), request.slug());
        if (request.detailMentions() != null) {
            assertThat(problem.get("detail").asString()).contains(request.detailMentions());
        }
    }

    @Test
    void refusesAnAnswerFormatItCannotProduce() throws Exception {
        HttpResponse<String> response = new HostileRequests(port).send("GET", "/api/v1/search?q=kafka",
                Map.of("Authorization", "Bearer " + KEY, "Accept", "application/xml"), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(406);
        HostileRequests.assertNothingInternal(response.body());
    }

    @ParameterizedTest
    @MethodSource("injections")
    void injectionInTheQueryFindsOnlyTheCallersDocuments(String injection) throws Exception {
        for (String mode : List.of("hybrid", "keyword", "semantic")) {
            HttpResponse<String> response = get("/api/v1/search?k=20&mode=" + mode + "&q=" + encode(injection), KEY);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            HostileRequests.assertNothingInternal(response.body());
            assertThat(ids(json(response).get("results"))).isSubsetOf(OWN_IDS);
        }
    }

    @ParameterizedTest
    @MethodSource("injections")
    void injectionInAFilterValueMatchesNothing(String injection) throws Exception {
        HttpResponse<String> response = get("/api/v1/search?q=kafka&filter=lang:" + encode(injection), KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("results").size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "' OR 1=1 --", "\"; DROP TABLE audit_log;--", "%", "key:alice' OR '1'='1" })
    void injectionInAnAuditFilterMatchesNothing(String injection) throws Exception {
        for (String parameter : List.of("actor", "action", "requestId")) {
            HttpResponse<String> response = get("/api/v1/audit?" + parameter + "=" + encode(injection), ADMIN_KEY);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("events").size()).isZero();
        }
    }

    @Test
    void searchCursorsAreBoundToTheirQueryAndTenant() throws Exception {
        JsonNode first = json(get("/api/v1/search?mode=keyword&k=1&q=kafka", KEY));
        String cursor = first.get("nextCursor").asString();
        assertThat(get("/api/v1/search?mode=keyword&k=1&q=kafka&cursor=" + cursor, KEY).statusCode()).isEqualTo(200);

        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String moved = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(decoded.replaceFirst(":1:", ":2:").getBytes(StandardCharsets.UTF_8));
        String farAway = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(decoded.replaceFirst(":1:", ":2147483647:").getBytes(StandardCharsets.UTF_8));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("truncated", "/api/v1/search?mode=keyword&k=1&q=kafka&cursor="
                + cursor.substring(0, cursor.length() - 4));
        refused.put("tampered offset", "/api/v1/search?mode=keyword&k=1&q=kafka&cursor=" + moved);
        refused.put("offset out of range", "/api/v1/search?mode=keyword&k=1&q=kafka&cursor=" + farAway);
        refused.put("another query", "/api/v1/search?mode=keyword&k=1&q=streams&cursor=" + cursor);
        refused.put("another mode", "/api/v1/search?mode=semantic&k=1&q=kafka&cursor=" + cursor);
        refused.put("another page size", "/api/v1/search?mode=keyword&k=2&q=kafka&cursor=" + cursor);
        refused.put("another filter", "/api/v1/search?mode=keyword&k=1&q=kafka&filter=lang:en&cursor=" + cursor);
        for (Map.Entry<String, String> attempt : refused.entrySet()) {
            JsonNode problem = assertProblem(get(attempt.getValue(), KEY), 400, ProblemException.INVALID_REQUEST);
            assertThat(problem.get("detail").asString()).as(attempt.getKey()).contains("'cursor'");
        }
        assertProblem(get("/api/v1/search?mode=keyword&k=1&q=kafka&cursor=" + cursor, OTHER_KEY), 400,
                ProblemException.INVALID_REQUEST);
    }

    @Test
    void auditCursorsAreBoundToTheirFiltersAndTenant() throws Exception {
        String cursor = json(get("/api/v1/audit?limit=1", ADMIN_KEY)).get("nextCursor").asString();
        assertThat(get("/api/v1/audit?limit=1&cursor=" + cursor, ADMIN_KEY).statusCode()).isEqualTo(200);

        assertProblem(get("/api/v1/audit?limit=1&cursor=" + cursor, OTHER_ADMIN_KEY), 400,
                ProblemException.INVALID_REQUEST);
        assertProblem(get("/api/v1/audit?limit=1&actor=key:alice&cursor=" + cursor, ADMIN_KEY), 400,
                ProblemException.INVALID_REQUEST);
        assertProblem(get("/api/v1/audit?limit=1&cursor=" + cursor.substring(0, cursor.length() - 2), ADMIN_KEY), 400,
                ProblemException.INVALID_REQUEST);
    }

    @Test
    void aListingCursorNeverShowsAnotherTenantsDocuments() throws Exception {
        String cursor = json(get("/api/v1/documents?limit=1", KEY)).get("nextCursor").asString();

        HttpResponse<String> replayed = get("/api/v1/documents?limit=100&cursor=" + cursor, OTHER_KEY);

        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(ids(json(replayed).get("documents"))).doesNotContainAnyElementsOf(OWN_IDS);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void afterTheHostileRequestsEveryDocumentIsStillThere() throws Exception {
        for (String id : OWN_IDS) {
            HttpResponse<String> response = get("/api/v1/documents/" + id, KEY);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("title").asString()).isEqualTo("Streaming " + id);
        }
        assertThat(ids(json(get("/api/v1/documents?limit=100", KEY)).get("documents")))
                .containsExactlyInAnyOrderElementsOf(OWN_IDS);
        assertThat(get("/api/v1/documents/secret-1", OTHER_KEY).statusCode()).isEqualTo(200);
    }

    static List<String> injections() {
        return INJECTIONS;
    }

    private static Case search(String name, String query, String detailMentions) {
        return get(name, "/api/v1/search?" + query, KEY, 400, ProblemException.INVALID_REQUEST, detailMentions);
    }

    private static Case get(String name, String path, String key, int status, String slug, String detailMentions) {
        return new Case(name, "GET", path, auth(key), null, status, slug, detailMentions);
    }

    private static Map<String, String> auth(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return more;
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    private static void auditRow(String tenant, String actor, String action, Instant at) {
        DATABASE.ensureTenant(tenant);
        Routines.ensureAuditPartition(DATABASE.dsl().configuration(), at.atOffset(ZoneOffset.UTC));
        DATABASE.dsl().insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AUDIT_ID, UUID.randomUUID())
                .set(AUDIT_LOG.TENANT_ID, tenant)
                .set(AUDIT_LOG.ACTOR, actor)
                .set(AUDIT_LOG.ACTION, action)
                .set(AUDIT_LOG.RESOURCE, "document:" + tenant + "/x")
                .set(AUDIT_LOG.OUTCOME, "accepted")
                .set(AUDIT_LOG.REQUEST_ID, "r-" + UUID.randomUUID())
                .set(AUDIT_LOG.TRACE_ID, "trace")
                .set(AUDIT_LOG.OCCURRED_AT, at.atOffset(ZoneOffset.UTC))
                .execute();
    }
}
