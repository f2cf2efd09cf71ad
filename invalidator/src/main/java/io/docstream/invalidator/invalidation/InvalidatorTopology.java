package io.docstream.invalidator.invalidation;

import io.docstream.platform.redis.Redis;
import io.docstream.schemas.events.AuditEvent;
import io.docstream.schemas.events.CacheInvalidated;
import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.jooq.DSLContext;

/**
 * indexed topic → Redis eviction and searchable version → invalidations topic and audit topic. The audit topic's
 * sink into {@code audit_log} is a consumer of its own ({@code AuditLogConfiguration}), so a backlog of audit events
 * (one per search) never queues an invalidation behind it. Records that do not
 * deserialize are skipped by the configured deserialization handler (log and continue): one unreadable event
 * must not stop the partition. Knows nothing of Spring.
 */
public final class InvalidatorTopology {

    private static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);
    private static final int DEFAULT_MAX_CHANGES = 10_000;

    private final DSLContext dsl;
    private final CacheEviction eviction;
    private final SearchableVersions searchable = new SearchableVersions();
    private final Freshness freshness;
    private final Clock clock;

    public InvalidatorTopology(DSLContext dsl, Redis redis) {
        this(dsl, redis, Clock.systemUTC());
    }

    public InvalidatorTopology(DSLContext dsl, Redis redis, Clock clock) {
        this(dsl, redis, clock, new CompositeMeterRegistry());
    }

    /** {@code meters} receives {@code docstream.freshness} per tenant. */
    public InvalidatorTopology(DSLContext dsl, Redis redis, Clock clock, MeterRegistry meters) {
        this(dsl, redis, clock, meters, DEFAULT_RETENTION, DEFAULT_MAX_CHANGES);
    }

    /** {@code changeRetention} and {@code maxChanges} bound each tenant's change history in Redis. */
    public InvalidatorTopology(DSLContext dsl, Redis redis, Clock clock, MeterRegistry meters,
            Duration changeRetention, int maxChanges) {
        this.freshness = new Freshness(meters);
        this.dsl = dsl;
        this.eviction = new CacheEviction(redis, changeRetention, maxChanges);
        this.clock = clock;
    }

    /** Adds the invalidator's nodes to {@code builder}. */
    public void build(StreamsBuilder builder) {
        KStream<String, Invalidated> invalidated = invalidateCaches(skipTombstones(readIndexed(builder)));
        writeInvalidations(invalidated);
        writeAuditEvents(invalidated);
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

    private KStream<String, Invalidated> invalidateCaches(KStream<DocumentKey, DocumentIndexed> events) {
        return events.process(() -> new InvalidateCachesProcessor(dsl, eviction, searchable, freshness, clock),
                Named.as("invalidate-caches"));
    }

    private static void writeInvalidations(KStream<String, Invalidated> invalidated) {
        KStream<String, CacheInvalidated> invalidations = invalidated.mapValues(Invalidated::invalidation,
                Named.as("invalidation-of"));
        invalidations.to(Topics.INVALIDATIONS.name(),
                Produced.with(Topics.INVALIDATIONS.keySerde(), Topics.INVALIDATIONS.valueSerde())
                        .withName("write-invalidations"));
    }

    private static void writeAuditEvents(KStream<String, Invalidated> invalidated) {
        KStream<String, AuditEvent> events = invalidated.mapValues(Invalidated::audit, Named.as("audit-event-of"));
        events.to(Topics.AUDIT.name(),
                Produced.with(Topics.AUDIT.keySerde(), Topics.AUDIT.valueSerde()).withName("write-audit-events"));
    }
}
