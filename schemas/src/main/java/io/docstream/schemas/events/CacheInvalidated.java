package io.docstream.schemas.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Cache entries that no longer hold, keyed by tenant on {@code docstream.invalidations.v1}:
 * the exact keys to evict, the tenant's search generation after the change and before it
 * ({@code previousGeneration}, 0 when unknown) and the document that changed ({@code documentId}, null for a change
 * that cannot be described) at its new version ({@code documentVersion}, 0 when unknown): a query API keeps a cached
 * search across the change only when it holds the whole chain of changes since the page was computed and none of them
 * can alter the page, and answers a request carrying a consistency token for that version once it applied this event. {@code causedAt} is when
 * the change that caused it became indexed ({@code DocumentIndexed.indexedAt}), so a reader can measure
 * invalidation lag end to end.
 */
public record CacheInvalidated(
        int schemaVersion,
        String tenant,
        List<String> keys,
        long tenantGeneration,
        long previousGeneration,
        String documentId,
        long documentVersion,
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

    public CacheInvalidated(String tenant, List<String> keys, long tenantGeneration, long previousGeneration,
            String documentId, long documentVersion, String reason, Instant invalidatedAt, Instant causedAt) {
        this(SCHEMA_VERSION, tenant, keys, tenantGeneration, previousGeneration, documentId, documentVersion, reason,
                invalidatedAt, causedAt);
    }

    /** An invalidation that does not describe its change: every cached search of the tenant gives way to it. */
    public CacheInvalidated(String tenant, List<String> keys, long tenantGeneration, String reason,
            Instant invalidatedAt, Instant causedAt) {
        this(tenant, keys, tenantGeneration, 0, null, 0, reason, invalidatedAt, causedAt);
    }
}
