package io.docstream.query.admin;

import java.time.Duration;
import java.util.List;

/** What {@code GET /api/v1/admin/status} answers, for the caller's tenant and the whole pipeline. */
record SystemStatus(String tenant, List<ConsumerGroupLag> consumerGroups, DocumentStates documents, Counts counts,
        Freshness freshness, List<CircuitBreaker> circuitBreakers, List<CacheHitRate> caches) {

    /**
     * One consumer group's committed position against the end of its partitions, and records it committed per second
     * over the last minute of this instance's readings ({@code null} until it has two).
     */
    record ConsumerGroupLag(String group, String state, int members, long lag, Double recordsPerSecond,
            List<PartitionLag> partitions) {
    }

    record PartitionLag(String topic, int partition, long committed, long end, long lag) {
    }

    /** The tenant's documents by state: pending means accepted by ingest and not indexed yet. */
    record DocumentStates(long pending, long indexed, long failed, long deleted) {
    }

    /**
     * Live documents of the tenant in the search index, in PostgreSQL and on the documents topic, and why
     * they differ. {@code topicComplete} is false when the topic scan ran out of time (a lower bound then).
     */
    record Counts(long index, long postgres, long topic, boolean topicComplete, boolean consistent,
            List<String> explanations) {
    }

    /** Accepted to searchable, over documents made searchable within {@code window}. */
    record Freshness(Double p50Ms, Double p99Ms, long samples, Duration window) {
    }

    record CircuitBreaker(String name, String state) {
    }

    /** Lookups of one cache of this query API instance by the layer that answered, since it started. */
    record CacheHitRate(String cache, long l1, long l2, long misses, Double hitRate) {
    }
}
