package io.docstream.platform.tenancy;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** What can be shown about a stored key: never the key, only its first characters. */
public record ApiKeySummary(UUID keyId, String tenant, String name, String prefix, Set<Scope> scopes,
        Instant createdAt, Instant revokedAt) {

    public ApiKeySummary {
        scopes = Set.copyOf(scopes);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
