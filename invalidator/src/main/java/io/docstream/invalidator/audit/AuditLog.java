package io.docstream.invalidator.audit;

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
 * Writes one audit record per indexed or deleted document version. The record id is derived from the
 * event, so a replayed event hits the existing row and writes nothing.
 */
final class AuditLog {

    static final String ACTOR = "indexer";

    private final DSLContext dsl;
    /** Months whose partition is known to exist; checked once per month, not per record. */
    private final Set<YearMonth> partitionedMonths = ConcurrentHashMap.newKeySet();

    AuditLog(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    void recordIndexed(DocumentIndexed event, String traceId) {
        OffsetDateTime occurredAt = event.indexedAt().atOffset(ZoneOffset.UTC);
        ensurePartition(occurredAt);
        dsl.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AUDIT_ID, auditId(event))
                .set(AUDIT_LOG.TENANT_ID, event.tenant())
                .set(AUDIT_LOG.ACTOR, ACTOR)
                .set(AUDIT_LOG.ACTION, event.deleted() ? "document.deleted" : "document.indexed")
                .set(AUDIT_LOG.RESOURCE,
                        "document:" + event.tenant() + "/" + event.documentId() + "@" + event.version())
                .set(AUDIT_LOG.OUTCOME, "success")
                .set(AUDIT_LOG.TRACE_ID, traceId)
                .set(AUDIT_LOG.OCCURRED_AT, occurredAt)
                .onConflictDoNothing()
                .execute();
    }

    /** Name-based, so the same event always gets the same id. */
    static UUID auditId(DocumentIndexed event) {
        String name = event.tenant() + "/" + event.documentId() + "/" + event.version() + "/" + event.deleted();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private void ensurePartition(OffsetDateTime occurredAt) {
        YearMonth month = YearMonth.from(occurredAt);
        if (!partitionedMonths.contains(month)) {
            Routines.ensureAuditPartition(dsl.configuration(), occurredAt);
            partitionedMonths.add(month);
        }
    }
}
