package io.docstream.platform.tenancy;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** The caller behind an authenticated API key; its tenant is the only tenant a request can touch. */
public record ApiKeyPrincipal(UUID keyId, String tenant, String name, Set<Scope> scopes) {

    public ApiKeyPrincipal {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }
}
