package io.docstream.invalidator.analytics;

import io.docstream.schemas.analytics.LatencyBuckets;
import io.docstream.schemas.events.QueryExecuted;
import java.time.Instant;

/** What one window counted of a tenant's searches in one mode: every page, which layer answered, how fast. */
record ModeCounts(String tenant, Instant windowStart, String mode, long searches, long firstPages, long zeroResults,
        long l1Hits, long l2Hits, long misses, long degraded, long[] latencyBuckets) {

    static ModeCounts empty(String tenant, Instant windowStart, String mode) {
        return new ModeCounts(tenant, windowStart, mode, 0, 0, 0, 0, 0, 0, 0, new long[LatencyBuckets.SIZE]);
    }

    ModeCounts plus(QueryExecuted query) {
        long[] buckets = latencyBuckets.clone();
        buckets[LatencyBuckets.index(query.latencyMicros())]++;
        String layer = query.cacheLayer() == null ? "miss" : query.cacheLayer();
        return new ModeCounts(tenant, windowStart, mode, searches + 1, firstPages + (query.offset() == 0 ? 1 : 0),
                zeroResults + (query.foundNothing() ? 1 : 0), l1Hits + (layer.equals("l1") ? 1 : 0),
                l2Hits + (layer.equals("l2") ? 1 : 0), misses + (layer.equals("l1") || layer.equals("l2") ? 0 : 1),
                degraded + (query.degraded().isEmpty() ? 0 : 1), buckets);
    }
}
