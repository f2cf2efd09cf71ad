package io.docstream.schemas.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One answered search, for analytics and cache tuning; never carries the query text itself. */
public record QueryExecuted(
        int schemaVersion,
        String tenant,
        String normalizedQueryHash,
        String mode,
        int k,
        long latencyMicros,
        String cacheLayer,
        List<String> resultIds,
        List<String> degraded,
        Instant executedAt) {

    public static final int SCHEMA_VERSION = 1;

    public QueryExecuted {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(normalizedQueryHash, "normalizedQueryHash");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(executedAt, "executedAt");
        resultIds = resultIds == null ? List.of() : List.copyOf(resultIds);
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
    }

    public QueryExecuted(String tenant, String normalizedQueryHash, String mode, int k, long latencyMicros,
            String cacheLayer, List<String> resultIds, List<String> degraded, Instant executedAt) {
        this(SCHEMA_VERSION, tenant, normalizedQueryHash, mode, k, latencyMicros, cacheLayer, resultIds, degraded,
                executedAt);
    }
}
