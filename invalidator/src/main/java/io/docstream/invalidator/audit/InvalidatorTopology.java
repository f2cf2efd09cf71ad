package io.docstream.invalidator.audit;

import io.docstream.schemas.events.DocumentIndexed;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.topics.Topics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.jooq.DSLContext;

/**
 * indexed topic → audit log. Records that do not deserialize are skipped by the configured
 * deserialization handler (log and continue): an audit gap is better than a stopped partition.
 * Knows nothing of Spring.
 */
public final class InvalidatorTopology {

    private final AuditLog auditLog;

    public InvalidatorTopology(DSLContext dsl) {
        this.auditLog = new AuditLog(dsl);
    }

    /** Adds the invalidator's nodes to {@code builder}. */
    public void build(StreamsBuilder builder) {
        writeAuditRecords(skipTombstones(readIndexed(builder)));
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

    private void writeAuditRecords(KStream<DocumentKey, DocumentIndexed> events) {
        events.process(() -> new WriteAuditRecordsProcessor(auditLog), Named.as("write-audit-records"));
    }
}
