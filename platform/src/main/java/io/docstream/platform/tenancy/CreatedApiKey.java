package io.docstream.platform.tenancy;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** A new key. {@code plainKey} exists only here: the database keeps its hash, so show it once. */
public record CreatedApiKey(UUID keyId, String tenant, String plainKey, Set<Scope> scopes) {

    public CreatedApiKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(plainKey, "plainKey");
        scopes = Set.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "CreatedApiKey[keyId=" + keyId + ", tenant=" + tenant + ", scopes=" + scopes + "]";
    }
}
