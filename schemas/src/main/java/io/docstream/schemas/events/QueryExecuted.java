package io.docstream.schemas.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One answered search (any cache layer, any page), for search analytics, cache warming and the query audit. The
 * normalised query's text is left out ({@code null}) for tenants that keep hashes only.
 *
 * @param id unique per search; the audit record of the search carries it
 * @param normalizedQueryHash SHA-256 (hex) of the normalised query text: groups the same query
 * @param normalizedQuery the normalised query text, or {@code null} when the tenant keeps hashes only
 * @param fusion the fusion of a hybrid search ({@code rrf}, {@code weighted}), {@code null} for the other modes
 * @param offset where the page starts in the ranking: 0 for a first page, more for a page a cursor asked for
 * @param cacheLayer which layer answered: {@code l1}, {@code l2} or {@code miss}; {@code bypass} for a fresh evaluation
 *     the client asked for ({@code Cache-Control: no-cache})
 * @param resultCount results on the page
 * @param keyId the API key that searched
 */
public record QueryExecuted(
        int schemaVersion,
        UUID id,
        String tenant,
        String normalizedQueryHash,
        String normalizedQuery,
        String mode,
        String fusion,
        int k,
        int offset,
        Map<String, String> filters,
        long latencyMicros,
        String cacheLayer,
        List<String> resultIds,
        int resultCount,
        List<String> degraded,
        String keyId,
        String requestId,
        String traceId,
        Instant executedAt) {

    public static final int SCHEMA_VERSION = 1;

    public QueryExecuted {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(normalizedQueryHash, "normalizedQueryHash");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(executedAt, "executedAt");
        filters = filters == null ? Map.of() : Map.copyOf(filters);
        resultIds = resultIds == null ? List.of() : List.copyOf(resultIds);
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
    }

    public QueryExecuted(UUID id, String tenant, String normalizedQueryHash, String normalizedQuery, String mode,
            String fusion, int k, int offset, Map<String, String> filters, long latencyMicros, String cacheLayer,
            List<String> resultIds, List<String> degraded, String keyId, String requestId, String traceId,
            Instant executedAt) {
        this(SCHEMA_VERSION, id, tenant, normalizedQueryHash, normalizedQuery, mode, fusion, k, offset, filters,
                latencyMicros, cacheLayer, resultIds, resultIds == null ? 0 : resultIds.size(), degraded, keyId,
                requestId, traceId, executedAt);
    }

    /** Whether the search found nothing on its first page: what "searches without results" count. */
    public boolean foundNothing() {
        return offset == 0 && resultCount == 0;
    }
}
