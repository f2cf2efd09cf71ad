package io.docstream.query.audit;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import io.docstream.schemas.db.Routines;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/audit} over rows as the invalidator's audit sink writes them. */
class AuditIntegrationTests extends QueryApiTestSupport {

    private static final String TENANT = "audit-acme";
    private static final String OTHER_TENANT = "audit-umbrella";
    private static final String ADMIN_KEY = createKey(TENANT, Scope.ADMIN);
    private static final String SEARCH_KEY = createKey(TENANT, Scope.SEARCH);
    private static final String OTHER_ADMIN_KEY = createKey(OTHER_TENANT, Scope.ADMIN);
    private static final String ALICE = "key:" + UUID.randomUUID();
    private static final String BOB = "key:" + UUID.randomUUID();
    private static final Instant T0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);

    @Autowired
    DSLContext dsl;

    /** Ten rows of ours one minute apart (the last two at the same instant), and lookalike rows of another tenant. */
    @BeforeAll
    static void seed() {
        for (int i = 0; i < 10; i++) {
            Instant at = T0.plus(Math.min(i, 8), ChronoUnit.MINUTES);
            row(TENANT, i % 2 == 0 ? ALICE : BOB, i < 6 ? "document.upsert" : "replay", "document:" + TENANT + "/d" + i,
                    i == 3 ? "r-123" : "r-" + i, at);
        }
        row(OTHER_TENANT, ALICE, "document.upsert", "document:" + OTHER_TENANT + "/secret", "r-123", T0.plusSeconds(30));
    }

    @Test
    void listsTheTenantsEventsNewestFirstWithEveryField() throws Exception {
        JsonNode page = ok("/api/v1/audit?limit=500", ADMIN_KEY);

        List<String> resources = resources(page);
        assertThat(resources).hasSize(10).doesNotContain("document:" + OTHER_TENANT + "/secret");
        assertThat(resources.subList(2, 10)).containsExactly("document:audit-acme/d7", "document:audit-acme/d6",
                "document:audit-acme/d5", "document:audit-acme/d4", "document:audit-acme/d3", "document:audit-acme/d2",
                "document:audit-acme/d1", "document:audit-acme/d0");
        JsonNode oldest = page.get("events").get(9);
        assertThat(oldest.get("id").asString()).isNotBlank();
        assertThat(oldest.get("actor").asString()).isEqualTo(ALICE);
        assertThat(oldest.get("action").asString()).isEqualTo("document.upsert");
        assertThat(oldest.get("outcome").asString()).isEqualTo("accepted");
        assertThat(oldest.get("requestId").asString()).isEqualTo("r-0");
        assertThat(oldest.get("traceId").asString()).isEqualTo("trace-0");
        assertThat(Instant.parse(oldest.get("time").asString())).isEqualTo(T0);
        assertThat(page.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void filtersByActorActionRequestIdAndTime() throws Exception {
        assertThat(resources(ok("/api/v1/audit?actor=" + encode(BOB), ADMIN_KEY)))
                .containsExactlyInAnyOrder("document:audit-acme/d1", "document:audit-acme/d3", "document:audit-acme/d5",
                        "document:audit-acme/d7", "document:audit-acme/d9");
        assertThat(resources(ok("/api/v1/audit?action=replay&actor=" + encode(ALICE), ADMIN_KEY)))
                .containsExactly("document:audit-acme/d8", "document:audit-acme/d6");
        assertThat(resources(ok("/api/v1/audit?requestId=r-123", ADMIN_KEY))).containsExactly("document:audit-acme/d3");
        assertThat(resources(ok("/api/v1/audit?since=" + T0.plus(2, ChronoUnit.MINUTES) + "&until="
                + T0.plus(4, ChronoUnit.MINUTES), ADMIN_KEY)))
                .containsExactly("document:audit-acme/d3", "document:audit-acme/d2");
    }

    @Test
    void pagesThroughEveryEventOnceWithTheCursor() throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok("/api/v1/audit?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_KEY);
            assertThat(page.get("events").size()).isLessThanOrEqualTo(3);
            seen.addAll(resources(page));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(10).doesNotHaveDuplicates()
                .isEqualTo(resources(ok("/api/v1/audit?limit=10", ADMIN_KEY)));
    }

    @Test
    void neverShowsAnotherTenantsEvents() throws Exception {
        assertThat(resources(ok("/api/v1/audit?requestId=r-123", OTHER_ADMIN_KEY)))
                .containsExactly("document:audit-umbrella/secret");
        assertThat(resources(ok("/api/v1/audit?actor=" + encode(ALICE) + "&limit=500", OTHER_ADMIN_KEY)))
                .containsExactly("document:audit-umbrella/secret");
    }

    @Test
    void refusesForgedCursorsAndBadParametersWithProblems() throws Exception {
        String cursor = ok("/api/v1/audit?limit=2", ADMIN_KEY).get("nextCursor").asString();
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = decoded.split(":");
        String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (parts[0] + ":" + (Long.parseLong(parts[1]) + 1) + ":" + parts[2] + ":" + parts[3])
                        .getBytes(StandardCharsets.UTF_8));

        for (String query : List.of("cursor=not-a-cursor", "cursor=" + altered, "cursor=" + cursor + "&action=replay",
                "limit=0", "limit=501", "since=yesterday", "since=" + T0 + "&until=" + T0)) {
            HttpResponse<String> response = get("/api/v1/audit?" + query, ADMIN_KEY);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json(response).get("type").asString()).isEqualTo("https://docstream.io/problems/invalid-request");
        }
        HttpResponse<String> otherTenant = get("/api/v1/audit?limit=2&cursor=" + cursor, OTHER_ADMIN_KEY);
        assertThat(otherTenant.statusCode()).isEqualTo(400);
    }

    @Test
    void needsTheAdminScope() throws Exception {
        assertThat(get("/api/v1/audit", SEARCH_KEY).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/audit", null).statusCode()).isEqualTo(401);
    }

    @Test
    void filteredListingsAreServedFromTheAuditIndexes() {
        AuditRepository repository = new AuditRepository(dsl);
        AuditCursor after = new AuditCursor(T0.plus(5, ChronoUnit.MINUTES), UUID.randomUUID());

        assertThat(plan(repository, new AuditFilter(ALICE, null, null, null, null), after))
                .contains("tenant_id_actor_occurred_at_idx").doesNotContain("Seq Scan");
        assertThat(plan(repository, new AuditFilter(null, "replay", null, T0, null), after))
                .contains("tenant_id_action_occurred_at_idx").doesNotContain("Seq Scan");
        assertThat(plan(repository, new AuditFilter(null, null, "r-123", null, null), null))
                .contains("request_id_idx").doesNotContain("Seq Scan");
    }

    /**
     * The plan with sequential scans priced out: a table this small is cheaper to scan, but a query whose shape
     * cannot use the index (a cast, a function on the column) would still show a Seq Scan here.
     */
    private String plan(AuditRepository repository, AuditFilter filter, AuditCursor after) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            tx.execute("set local enable_seqscan = off");
            String sql = tx.renderInlined(repository.query(TENANT, filter, after, 51));
            return String.join("\n", tx.fetch("explain " + sql).getValues(0, String.class));
        });
    }

    private JsonNode ok(String pathAndQuery, String key) throws Exception {
        HttpResponse<String> response = get(pathAndQuery, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static List<String> resources(JsonNode page) {
        List<String> resources = new ArrayList<>();
        page.get("events").forEach(event -> resources.add(event.get("resource").asString()));
        return resources;
    }

    private static void row(String tenant, String actor, String action, String resource, String requestId, Instant at) {
        DATABASE.ensureTenant(tenant);
        Routines.ensureAuditPartition(DATABASE.dsl().configuration(), at.atOffset(ZoneOffset.UTC));
        DATABASE.dsl().insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AUDIT_ID, UUID.randomUUID())
                .set(AUDIT_LOG.TENANT_ID, tenant)
                .set(AUDIT_LOG.ACTOR, actor)
                .set(AUDIT_LOG.ACTION, action)
                .set(AUDIT_LOG.RESOURCE, resource)
                .set(AUDIT_LOG.OUTCOME, "accepted")
                .set(AUDIT_LOG.REQUEST_ID, requestId)
                .set(AUDIT_LOG.TRACE_ID, "trace-" + resource.substring(resource.length() - 1))
                .set(AUDIT_LOG.OCCURRED_AT, at.atOffset(ZoneOffset.UTC))
                .execute();
    }
}
