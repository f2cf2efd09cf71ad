package io.docstream.invalidator.audit;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;

import io.docstream.schemas.db.Routines;
import io.docstream.schemas.db.tables.records.AuditLogRecord;
import io.docstream.schemas.events.AuditEvent;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep9;

/**
 * The {@code audit_log} table, written only here: one row per audit event, by its id, a batch of them per
 * statement. An event delivered again (a batch retried after a failure, a replayed topic) hits its existing row and
 * writes nothing.
 */
final class AuditLog {

    private final DSLContext dsl;
    /** Months whose partition is known to exist; checked once per month, not per event. */
    private final Set<YearMonth> partitionedMonths = ConcurrentHashMap.newKeySet();

    AuditLog(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /**
     * Inserts the events whose rows do not exist yet, in one statement; returns how many rows were written. An
     * event delivered twice, in one batch or two, is written once.
     */
    int insert(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        Map<YearMonth, OffsetDateTime> months = new HashMap<>();
        for (AuditEvent event : events) {
            OffsetDateTime occurredAt = event.time().atOffset(ZoneOffset.UTC);
            months.putIfAbsent(YearMonth.from(occurredAt), occurredAt);
        }
        months.values().forEach(this::ensurePartition);
        var insert = dsl.insertInto(AUDIT_LOG, AUDIT_LOG.AUDIT_ID, AUDIT_LOG.TENANT_ID, AUDIT_LOG.ACTOR,
                AUDIT_LOG.ACTION, AUDIT_LOG.RESOURCE, AUDIT_LOG.OUTCOME, AUDIT_LOG.REQUEST_ID, AUDIT_LOG.TRACE_ID,
                AUDIT_LOG.OCCURRED_AT);
        InsertValuesStep9<AuditLogRecord, UUID, String, String, String, String, String, String, String,
                OffsetDateTime> rows = null;
        for (AuditEvent event : events) {
            rows = (rows == null ? insert : rows).values(event.id(), event.tenant(), event.actor(), event.action(),
                    event.resource(), event.outcome(), event.requestId(), event.traceId(),
                    event.time().atOffset(ZoneOffset.UTC));
        }
        return rows.onConflictDoNothing().execute();
    }

    /**
     * Creates the month's partition (idempotent) in a statement of its own, so the month is only remembered
     * once its partition really exists; rows of a month without one would land in the default partition.
     */
    private void ensurePartition(OffsetDateTime occurredAt) {
        YearMonth month = YearMonth.from(occurredAt);
        if (!partitionedMonths.contains(month)) {
            Routines.ensureAuditPartition(dsl.configuration(), occurredAt);
            partitionedMonths.add(month);
        }
    }
}
