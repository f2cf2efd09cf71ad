package io.docstream.query.admin.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.platform.tenancy.Scope;
import io.docstream.query.QueryApiTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Tenant administration over the API: an operator key creates a tenant with a first key that works at once, lists
 * tenants, disables one (its keys are refused, on every instance within the key cache's TTL) and enables it again;
 * nothing here is open to a tenant's admin key, which cannot grant the operator scope either.
 */
class TenantsIntegrationTests extends QueryApiTestSupport {

    private static final String OPERATOR = createKey("tenants-operator", Scope.OPERATOR, Scope.ADMIN);
    private static final Duration KEY_CACHE_TTL = Duration.ofSeconds(10);

    @Test
    void anOperatorCreatesATenantWhoseFirstKeyWorksThenDisablesAndEnablesIt() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> created = send("POST", "/api/v1/admin/tenants", OPERATOR, "{\"id\": \"" + tenant + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/admin/tenants/" + tenant);
        JsonNode body = json(created);
        assertThat(body.path("id").asString()).isEqualTo(tenant);
        assertThat(body.path("disabled").asBoolean()).isFalse();
        assertThat(body.at("/key/scopes").toString()).isEqualTo("[\"admin\",\"ingest\",\"search\"]");
        String firstKey = body.at("/key/key").asString();

        HttpResponse<String> search = get("/api/v1/search?q=anything", firstKey);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(json(search).path("results")).isEmpty();
        assertThat(send("POST", "/api/v1/admin/tenants", OPERATOR, "{\"id\": \"" + tenant + "\"}").statusCode())
                .as("a tenant is created once").isEqualTo(409);
        JsonNode listed = json(get("/api/v1/admin/tenants", OPERATOR));
        assertThat(listed.path("tenants").findValuesAsString("id")).contains(tenant, "tenants-operator");

        HttpResponse<String> disabled = send("POST", "/api/v1/admin/tenants/" + tenant + "/disable", OPERATOR, null);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(json(disabled).path("disabled").asBoolean()).isTrue();
        await().atMost(KEY_CACHE_TTL.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/v1/search?q=anything", firstKey).statusCode() == 401);

        HttpResponse<String> enabled = send("POST", "/api/v1/admin/tenants/" + tenant + "/enable", OPERATOR, null);
        assertThat(json(enabled).path("disabled").asBoolean()).isFalse();
        await().atMost(KEY_CACHE_TTL.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/v1/search?q=anything", firstKey).statusCode() == 200);
    }

    @Test
    void tenantAdministrationIsForOperatorsAndOnlyAnOperatorGrantsTheScope() throws Exception {
        String admin = createKey("tenants-admin-only", Scope.ADMIN, Scope.SEARCH);

        assertThat(send("POST", "/api/v1/admin/tenants", admin, "{\"id\": \"not-mine\"}").statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/admin/tenants", admin).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/admin/tenants/tenants-operator/disable", admin, null).statusCode())
                .isEqualTo(403);
        HttpResponse<String> escalation = send("POST", "/api/v1/admin/keys", admin,
                "{\"name\": \"sneaky\", \"scopes\": [\"operator\"]}");
        assertThat(escalation.statusCode()).as(escalation.body()).isEqualTo(403);
        assertThat(json(escalation).path("detail").asString()).contains("operator scope");
    }

    @Test
    void badTenantRequestsAreProblems() throws Exception {
        assertThat(send("POST", "/api/v1/admin/tenants", OPERATOR, "{\"id\": \"Upper Case\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/api/v1/admin/tenants", OPERATOR, "{\"id\": \"x\", \"extra\": 1}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/api/v1/admin/tenants/no-such-tenant/disable", OPERATOR, null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> own = send("POST", "/api/v1/admin/tenants/tenants-operator/disable", OPERATOR, null);
        assertThat(own.statusCode()).as("a key cannot lock itself out").isEqualTo(400);
        assertThat(own.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}
