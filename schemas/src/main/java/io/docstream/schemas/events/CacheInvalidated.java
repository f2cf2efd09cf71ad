package io.docstream.schemas.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Cache entries that no longer hold, keyed by tenant on {@code docstream.invalidations.v1}:
 * the exact keys to evict, and the tenant's search generation after the change. {@code causedAt} is when
 * the change that caused it became indexed ({@code DocumentIndexed.indexedAt}), so a reader can measure
 * invalidation lag end to end.
 */
public record CacheInvalidated(
        int schemaVersion,
        String tenant,
        List<String> keys,
        long tenantGeneration,
        String reason,
        Instant invalidatedAt,
        Instant causedAt) {

    public static final int SCHEMA_VERSION = 1;

    public CacheInvalidated {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(invalidatedAt, "invalidatedAt");
        Objects.requireNonNull(causedAt, "causedAt");
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    public CacheInvalidated(String tenant, List<String> keys, long tenantGeneration, String reason,
            Instant invalidatedAt, Instant causedAt) {
        this(SCHEMA_VERSION, tenant, keys, tenantGeneration, reason, invalidatedAt, causedAt);
    }
}
