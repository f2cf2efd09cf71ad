package io.docstream.invalidator.audit;

import io.docstream.schemas.events.AuditEvent;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes each audit event to {@code audit_log}; forwards nothing. When PostgreSQL is down the insert throws,
 * the stream thread is replaced after a pause and the event is read again from the last commit, so no event
 * is lost and none is written twice.
 */
final class WriteAuditLogProcessor extends ContextualProcessor<String, AuditEvent, Void, Void> {

    private final AuditLog auditLog;

    WriteAuditLogProcessor(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    @Override
    public void process(Record<String, AuditEvent> record) {
        if (record.value() != null) {
            auditLog.insert(record.value());
        }
    }
}
