package io.docstream.invalidator.audit;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;

import io.docstream.schemas.db.Routines;
import io.docstream.schemas.events.AuditEvent;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;

/**
 * The {@code audit_log} table, written only here: one row per audit event, by its id. An event delivered
 * again (a retried Streams transaction, a replayed topic) hits its existing row and writes nothing.
 */
final class AuditLog {

    private final DSLContext dsl;
    /** Months whose partition is known to exist; checked once per month, not per event. */
    private final Set<YearMonth> partitionedMonths = ConcurrentHashMap.newKeySet();

    AuditLog(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /** Inserts the event unless its row exists; returns whether a row was written. */
    boolean insert(AuditEvent event) {
        OffsetDateTime occurredAt = event.time().atOffset(ZoneOffset.UTC);
        ensurePartition(occurredAt);
        return dsl.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AUDIT_ID, event.id())
                .set(AUDIT_LOG.TENANT_ID, event.tenant())
                .set(AUDIT_LOG.ACTOR, event.actor())
                .set(AUDIT_LOG.ACTION, event.action())
                .set(AUDIT_LOG.RESOURCE, event.resource())
                .set(AUDIT_LOG.OUTCOME, event.outcome())
                .set(AUDIT_LOG.REQUEST_ID, event.requestId())
                .set(AUDIT_LOG.TRACE_ID, event.traceId())
                .set(AUDIT_LOG.OCCURRED_AT, occurredAt)
                .onConflictDoNothing()
                .execute() == 1;
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
