package io.docstream.invalidator.invalidation;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;

import io.docstream.schemas.db.Routines;
import io.docstream.schemas.events.DocumentIndexed;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;

/**
 * Writes one audit record per indexed or deleted document version, in the caller's transaction. The
 * record id is derived from the event, so a replayed event hits the existing row and writes nothing.
 */
final class AuditLog {

    static final String ACTOR = "indexer";

    private final DSLContext dsl;
    /** Months whose partition is known to exist; checked once per month, not per record. */
    private final Set<YearMonth> partitionedMonths = ConcurrentHashMap.newKeySet();

    AuditLog(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /**
     * Creates the month's partition (idempotent) in a statement of its own, before the transaction that
     * writes the record: so the partition is only remembered once it really exists.
     */
    void ensurePartitionFor(DocumentIndexed event) {
        YearMonth month = YearMonth.from(occurredAt(event));
        if (!partitionedMonths.contains(month)) {
            Routines.ensureAuditPartition(dsl.configuration(), occurredAt(event));
            partitionedMonths.add(month);
        }
    }

    /** Writes the record in the caller's transaction {@code tx}. */
    void recordIndexed(DSLContext tx, DocumentIndexed event, String traceId) {
        tx.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AUDIT_ID, auditId(event))
                .set(AUDIT_LOG.TENANT_ID, event.tenant())
                .set(AUDIT_LOG.ACTOR, ACTOR)
                .set(AUDIT_LOG.ACTION, action(event))
                .set(AUDIT_LOG.RESOURCE,
                        "document:" + event.tenant() + "/" + event.documentId() + "@" + event.version())
                .set(AUDIT_LOG.OUTCOME, "success")
                .set(AUDIT_LOG.TRACE_ID, traceId)
                .set(AUDIT_LOG.OCCURRED_AT, occurredAt(event))
                .onConflictDoNothing()
                .execute();
    }

    /** {@code document.indexed} or {@code document.deleted}: the audit action and the invalidation reason. */
    static String action(DocumentIndexed event) {
        return event.deleted() ? "document.deleted" : "document.indexed";
    }

    private static OffsetDateTime occurredAt(DocumentIndexed event) {
        return event.indexedAt().atOffset(ZoneOffset.UTC);
    }

    /** Name-based, so the same event always gets the same id. */
    static UUID auditId(DocumentIndexed event) {
        String name = event.tenant() + "/" + event.documentId() + "/" + event.version() + "/" + event.deleted();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
