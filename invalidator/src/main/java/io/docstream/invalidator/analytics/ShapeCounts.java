package io.docstream.invalidator.analytics;

import io.docstream.schemas.events.QueryExecuted;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one window counted of one request shape of a tenant: the normalised query with its mode, fusion, k and
 * filters. Only first pages count as searches; a cursor's later pages are the same search read further.
 */
record ShapeCounts(String tenant, Instant windowStart, String shapeHash, String queryHash, String queryText,
        String mode, String fusion, int k, Map<String, String> filters, long searches, long zeroResults,
        long latencySumMicros, long latencyMaxMicros) {

    ShapeCounts {
        filters = filters == null ? Map.of() : new TreeMap<>(filters);
    }

    static ShapeCounts first(QueryExecuted query, Instant windowStart, String shapeHash) {
        return new ShapeCounts(query.tenant(), windowStart, shapeHash, query.normalizedQueryHash(),
                query.normalizedQuery(), query.mode(), query.fusion(), query.k(), query.filters(), 0, 0, 0, 0)
                .plus(query);
    }

    ShapeCounts plus(QueryExecuted query) {
        return new ShapeCounts(tenant, windowStart, shapeHash, queryHash,
                queryText != null ? queryText : query.normalizedQuery(), mode, fusion, k, filters, searches + 1,
                zeroResults + (query.foundNothing() ? 1 : 0), latencySumMicros + query.latencyMicros(),
                Math.max(latencyMaxMicros, query.latencyMicros()));
    }
}
