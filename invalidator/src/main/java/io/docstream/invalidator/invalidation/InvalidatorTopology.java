package io.docstream.invalidator.invalidation;

import io.docstream.core.cache.Redis;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import java.time.Clock;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.jooq.DSLContext;

/**
 * indexed topic → Redis eviction, audit log and searchable version → invalidations topic. Records that
 * do not deserialize are skipped by the configured deserialization handler (log and continue): one
 * unreadable event must not stop the partition. Knows nothing of Spring.
 */
public final class InvalidatorTopology {

    private final DSLContext dsl;
    private final CacheEviction eviction;
    private final AuditLog auditLog;
    private final SearchableVersions searchable = new SearchableVersions();
    private final Clock clock;

    public InvalidatorTopology(DSLContext dsl, Redis redis) {
        this(dsl, redis, Clock.systemUTC());
    }

    public InvalidatorTopology(DSLContext dsl, Redis redis, Clock clock) {
        this.dsl = dsl;
        this.eviction = new CacheEviction(redis);
        this.auditLog = new AuditLog(dsl);
        this.clock = clock;
    }

    /** Adds the invalidator's nodes to {@code builder}. */
    public void build(StreamsBuilder builder) {
        writeInvalidations(invalidateCaches(skipTombstones(readIndexed(builder))));
    }

    /** The whole topology, for {@code TopologyTestDriver} and for describing it. */
    public Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder);
        return builder.build();
    }

    private static KStream<DocumentKey, DocumentIndexed> readIndexed(StreamsBuilder builder) {
        return builder.stream(Topics.INDEXED.name(),
                Consumed.with(Topics.INDEXED.keySerde(), Topics.INDEXED.valueSerde()).withName("read-indexed"));
    }

    private static KStream<DocumentKey, DocumentIndexed> skipTombstones(KStream<DocumentKey, DocumentIndexed> events) {
        return events.filter((key, event) -> event != null, Named.as("skip-tombstones"));
    }

    private KStream<String, CacheInvalidated> invalidateCaches(KStream<DocumentKey, DocumentIndexed> events) {
        return events.process(() -> new InvalidateCachesProcessor(dsl, eviction, auditLog, searchable, clock),
                Named.as("invalidate-caches"));
    }

    private static void writeInvalidations(KStream<String, CacheInvalidated> invalidations) {
        invalidations.to(Topics.INVALIDATIONS.name(),
                Produced.with(Topics.INVALIDATIONS.keySerde(), Topics.INVALIDATIONS.valueSerde())
                        .withName("write-invalidations"));
    }
}
