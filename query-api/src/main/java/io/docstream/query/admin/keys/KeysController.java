package io.docstream.query.admin.keys;

import io.docstream.platform.audit.AuditActions;
import io.docstream.platform.audit.AuditTrail;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.tenancy.ApiKeySummary;
import io.docstream.platform.tenancy.ApiKeys;
import io.docstream.platform.tenancy.CreatedApiKey;
import io.docstream.platform.tenancy.Scope;
import io.docstream.platform.web.ProblemException;
import io.docstream.platform.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/admin/keys} (admin scope): the caller's tenant's API keys, created, listed and revoked. The
 * tenant is always the caller's key's; another tenant's key is answered exactly like one that does not exist.
 * The operator scope, which reaches past the tenant, is granted only by a key that holds it. A new key is shown once,
 * in the answer that creates it; lists never show a key or its hash, only its first
 * characters. Every creation and revocation is audited ({@code key.create}, {@code key.revoke}). A revoked key
 * stops working within {@code docstream.web.api-key-cache-ttl} on every instance.
 */
@RestController
class KeysController {

    static final String PATH = "/api/v1/admin/keys";

    private final ApiKeys apiKeys;
    private final AuditTrail audit;

    KeysController(ApiKeys apiKeys, AuditTrail audit) {
        this.apiKeys = apiKeys;
        this.audit = audit;
    }

    /** A key as listed. */
    record KeyView(UUID id, String name, String prefix, List<String> scopes, Instant createdAt, Instant revokedAt) {

        static KeyView of(ApiKeySummary summary) {
            return new KeyView(summary.keyId(), summary.name(), summary.prefix(), values(summary), summary.createdAt(),
                    summary.revokedAt());
        }
    }

    /** A new key with its secret, shown this once. */
    record CreatedKey(UUID id, String name, String prefix, List<String> scopes, Instant createdAt, String key) {
    }

    /** The tenant's keys, oldest first, revoked ones included. */
    record KeyList(List<KeyView> keys) {
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CreatedKey> create(ApiKeyPrincipal principal, @RequestBody JsonNode body, HttpServletRequest http) {
        NewKey request = NewKey.parse(body);
        if (request.scopes().contains(Scope.OPERATOR) && !principal.scopes().contains(Scope.OPERATOR)) {
            throw ProblemException.forbidden("Only a key that holds the operator scope can grant it.");
        }
        String tenant = principal.tenant();
        CreatedApiKey created = apiKeys.create(tenant, request.name(), request.scopes());
        ApiKeySummary summary = apiKeys.find(tenant, created.keyId()).orElseThrow();
        record(principal, AuditActions.KEY_CREATE, created.keyId(), http);
        return ResponseEntity.created(URI.create(PATH + "/" + created.keyId()))
                .body(new CreatedKey(created.keyId(), summary.name(), summary.prefix(), values(summary),
                        summary.createdAt(), created.plainKey()));
    }

    @GetMapping(PATH)
    KeyList list(ApiKeyPrincipal principal) {
        return new KeyList(apiKeys.list(principal.tenant()).stream().map(KeyView::of).toList());
    }

    @DeleteMapping(PATH + "/{id}")
    ResponseEntity<Void> revoke(ApiKeyPrincipal principal, @PathVariable String id, HttpServletRequest http) {
        UUID keyId = keyId(id);
        if (!apiKeys.revoke(principal.tenant(), keyId)) {
            throw ProblemException.notFound("No live API key with id " + keyId + ".");
        }
        record(principal, AuditActions.KEY_REVOKE, keyId, http);
        return ResponseEntity.noContent().build();
    }

    private void record(ApiKeyPrincipal principal, String action, UUID keyId, HttpServletRequest http) {
        audit.record(principal.tenant(), AuditActions.keyActor(principal.keyId()), action,
                "key:" + principal.tenant() + "/" + keyId, AuditActions.SUCCEEDED, RequestIdFilter.requestId(http));
    }

    private static UUID keyId(String id) {
        try {
            if (id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ProblemException.invalidRequest("A key id is a UUID such as 1f0e4c9a-0b1d-4d2e-9a7b-3c5d6e7f8a9b.");
    }

    private static List<String> values(ApiKeySummary summary) {
        return summary.scopes().stream().sorted().map(Scope::value).toList();
    }
}
