package io.docstream.invalidator.audit;

import io.docstream.schemas.events.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * The audit topic's sink: every service's audit events ({@code docstream.audit.v1}) into the partitioned
 * {@code audit_log} table, as Kafka Connect's JDBC sink does it: each polled batch in one multi-row insert, then
 * the batch's offsets committed. A batch that fails is written again whole, and idempotent inserts (by event id)
 * make that, and a re-read after a crash, harmless. Knows nothing of Spring or Kafka.
 */
public final class AuditLogSink {

    /** Rows per statement: nine bound values each, well under PostgreSQL's 65,535 per statement. */
    static final int ROWS_PER_STATEMENT = 1_000;

    private final AuditLog auditLog;

    public AuditLogSink(DSLContext dsl) {
        this.auditLog = new AuditLog(dsl);
    }

    /**
     * Writes a batch of events (null entries, records that could not be read, are skipped); returns the rows
     * written, events already in the log not counted. Throws, having written nothing of the failed statement, when
     * PostgreSQL refuses.
     */
    public int write(List<AuditEvent> events) {
        List<AuditEvent> present = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            if (event != null) {
                present.add(event);
            }
        }
        int written = 0;
        for (int from = 0; from < present.size(); from += ROWS_PER_STATEMENT) {
            written += auditLog.insert(present.subList(from, Math.min(present.size(), from + ROWS_PER_STATEMENT)));
        }
        return written;
    }
}
