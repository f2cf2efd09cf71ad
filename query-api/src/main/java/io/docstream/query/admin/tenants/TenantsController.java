package io.docstream.query.admin.tenants;

import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.errors.InvalidInputException;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.CreatedApiKey;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.tenancy.Tenants;
import io.docstream.platform.tenancy.Tenants.TenantSummary;
import io.docstream.platform.web.ProblemException;
import io.docstream.platform.web.RequestIdFilter;
import io.docstream.schemas.events.DocumentKey;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/admin/tenants} (operator scope): the deployment's tenants, created with a first key, listed,
 * disabled and enabled again. A disabled tenant's keys are refused on every instance within
 * {@code docstream.web.api-key-cache-ttl}; its documents, keys and audit trail stay. Each change is audited in the
 * operator's tenant ({@code tenant.create}, {@code tenant.disable}, {@code tenant.enable}) and a first key's creation
 * in the new tenant ({@code key.create}).
 */
@RestController
class TenantsController {

    static final String PATH = "/api/v1/admin/tenants";
    /** What a new tenant's first key may do: everything within the tenant, nothing beyond it. */
    private static final Set<Scope> FIRST_KEY_SCOPES = EnumSet.of(Scope.INGEST, Scope.SEARCH, Scope.ADMIN);
    private static final String FIRST_KEY_NAME = "first key";

    private final Tenants tenants;
    private final ApiKeys apiKeys;
    private final AuditTrail audit;

    TenantsController(DSLContext dsl, ApiKeys apiKeys, AuditTrail audit) {
        this.tenants = new Tenants(dsl);
        this.apiKeys = apiKeys;
        this.audit = audit;
    }

    /** A tenant as listed. */
    record TenantView(String id, Instant createdAt, boolean disabled, Instant disabledAt) {

        static TenantView of(TenantSummary summary) {
            return new TenantView(summary.id(), summary.createdAt(), summary.disabled(), summary.disabledAt());
        }
    }

    /** The tenant's first key, shown this once. */
    record FirstKey(UUID id, String name, List<String> scopes, String key) {
    }

    record CreatedTenant(String id, Instant createdAt, boolean disabled, FirstKey key) {
    }

    record TenantList(List<TenantView> tenants) {
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CreatedTenant> create(ApiKeyPrincipal principal, @RequestBody JsonNode body,
            HttpServletRequest http) {
        String id = tenantId(body);
        TenantSummary created = tenants.create(id)
                .orElseThrow(() -> ProblemException.conflict("Tenant '" + id + "' exists already."));
        CreatedApiKey key = apiKeys.create(id, FIRST_KEY_NAME, FIRST_KEY_SCOPES);
        String requestId = RequestIdFilter.requestId(http);
        String actor = AuditActions.keyActor(principal.keyId());
        audit.record(principal.tenant(), actor, AuditActions.TENANT_CREATE, "tenant:" + id, AuditActions.SUCCEEDED,
                requestId);
        audit.record(id, actor, AuditActions.KEY_CREATE, "key:" + id + "/" + key.keyId(), AuditActions.SUCCEEDED,
                requestId);
        return ResponseEntity.created(URI.create(PATH + "/" + id)).body(new CreatedTenant(id, created.createdAt(),
                false, new FirstKey(key.keyId(), FIRST_KEY_NAME,
                        FIRST_KEY_SCOPES.stream().map(Scope::value).sorted().toList(), key.plainKey())));
    }

    @GetMapping(PATH)
    TenantList list() {
        return new TenantList(tenants.list().stream().map(TenantView::of).toList());
    }

    @PostMapping(PATH + "/{id}/disable")
    TenantView disable(ApiKeyPrincipal principal, @PathVariable String id, HttpServletRequest http) {
        if (id.equals(principal.tenant())) {
            throw new InvalidInputException("A key cannot disable its own tenant: it would lock itself out.");
        }
        return change(principal, id, true, AuditActions.TENANT_DISABLE, http);
    }

    @PostMapping(PATH + "/{id}/enable")
    TenantView enable(ApiKeyPrincipal principal, @PathVariable String id, HttpServletRequest http) {
        return change(principal, id, false, AuditActions.TENANT_ENABLE, http);
    }

    private TenantView change(ApiKeyPrincipal principal, String id, boolean disabled, String action,
            HttpServletRequest http) {
        TenantSummary changed = tenants.setDisabled(id, disabled)
                .orElseThrow(() -> ProblemException.notFound("No tenant '" + id + "'."));
        audit.record(principal.tenant(), AuditActions.keyActor(principal.keyId()), action, "tenant:" + id,
                AuditActions.SUCCEEDED, RequestIdFilter.requestId(http));
        return TenantView.of(changed);
    }

    /** The body {@code {"id": "<tenant>"}}, read strictly. */
    private static String tenantId(JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1 || !body.has("id") || !body.get("id").isString()) {
            throw new InvalidInputException("The request body must be {\"id\": \"<tenant>\"}.");
        }
        String id = body.get("id").asString();
        if (!DocumentKey.TENANT.matcher(id).matches()) {
            throw new InvalidInputException("A tenant id is 1 to 63 characters: lower-case letters, digits, '_' and"
                    + " '-', starting with a letter or digit.");
        }
        return id;
    }
}
