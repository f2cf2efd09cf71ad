package io.docstream.invalidator.audit;

import io.docstream.schemas.topics.Topics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.jooq.DSLContext;

/**
 * The audit topic's sink: every service's audit events ({@code docstream.audit.v1}) into the partitioned
 * {@code audit_log} table. Part of the invalidator's exactly-once Streams app, so it reads committed events
 * only, and idempotent inserts make a re-read after a crash harmless. Knows nothing of Spring.
 */
public final class AuditLogSink {

    private final AuditLog auditLog;

    public AuditLogSink(DSLContext dsl) {
        this.auditLog = new AuditLog(dsl);
    }

    /** Adds the sink's nodes to {@code builder}: read the audit topic, write each event to the table. */
    public void build(StreamsBuilder builder) {
        builder.stream(Topics.AUDIT.name(),
                        Consumed.with(Topics.AUDIT.keySerde(), Topics.AUDIT.valueSerde()).withName("read-audit"))
                .process(() -> new WriteAuditLogProcessor(auditLog), Named.as("write-audit-log"));
    }
}
