package io.docstream.ingest.dlq;

import static io.docstream.schemas.db.Tables.DLQ_ENTRIES;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * What operators did with DLQ records ({@code dlq_entries}): when each was redriven or purged, and by whom.
 * A redrive claims its row before the record is produced, in the same transaction, so two concurrent
 * redrives of one entry produce it once.
 */
final class DlqMarkers {

    private final DSLContext dsl;

    DlqMarkers(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** What operators did with one entry. */
    record Marker(OffsetDateTime redrivenAt, String redrivenBy, OffsetDateTime purgedAt) {

        boolean redriven() {
            return redrivenAt != null;
        }

        boolean purged() {
            return purgedAt != null;
        }
    }

    Map<EntryId, Marker> all(String topic) {
        Map<EntryId, Marker> markers = new HashMap<>();
        dsl.select(DLQ_ENTRIES.PARTITION_NO, DLQ_ENTRIES.RECORD_OFFSET, DLQ_ENTRIES.REDRIVEN_AT,
                        DLQ_ENTRIES.REDRIVEN_BY, DLQ_ENTRIES.PURGED_AT)
                .from(DLQ_ENTRIES)
                .where(DLQ_ENTRIES.TOPIC.eq(topic))
                .forEach(row -> markers.put(new EntryId(row.value1(), row.value2()),
                        new Marker(row.value3(), row.value4(), row.value5())));
        return markers;
    }

    Optional<Marker> find(String topic, EntryId id) {
        return dsl.select(DLQ_ENTRIES.REDRIVEN_AT, DLQ_ENTRIES.REDRIVEN_BY, DLQ_ENTRIES.PURGED_AT)
                .from(DLQ_ENTRIES)
                .where(DLQ_ENTRIES.TOPIC.eq(topic)
                        .and(DLQ_ENTRIES.PARTITION_NO.eq(id.partition()))
                        .and(DLQ_ENTRIES.RECORD_OFFSET.eq(id.offset())))
                .fetchOptional(row -> new Marker(row.value1(), row.value2(), row.value3()));
    }

    /**
     * Claims the entry as redriven by {@code actor} and runs {@code produce} inside the claim's transaction:
     * false (and nothing produced) when it was already redriven or purged; a failing {@code produce} leaves
     * no claim behind.
     */
    boolean redrive(String topic, EntryId id, String tenant, String actor, Runnable produce) {
        return dsl.transactionResult(transaction -> {
            int claimed = transaction.dsl().insertInto(DLQ_ENTRIES)
                    .set(DLQ_ENTRIES.TOPIC, topic)
                    .set(DLQ_ENTRIES.PARTITION_NO, id.partition())
                    .set(DLQ_ENTRIES.RECORD_OFFSET, id.offset())
                    .set(DLQ_ENTRIES.TENANT_ID, tenant)
                    .set(DLQ_ENTRIES.REDRIVEN_AT, DSL.currentOffsetDateTime())
                    .set(DLQ_ENTRIES.REDRIVEN_BY, actor)
                    .onConflict(DLQ_ENTRIES.TOPIC, DLQ_ENTRIES.PARTITION_NO, DLQ_ENTRIES.RECORD_OFFSET)
                    .doUpdate()
                    .set(DLQ_ENTRIES.REDRIVEN_AT, DSL.currentOffsetDateTime())
                    .set(DLQ_ENTRIES.REDRIVEN_BY, actor)
                    .where(DLQ_ENTRIES.REDRIVEN_AT.isNull().and(DLQ_ENTRIES.PURGED_AT.isNull()))
                    .execute();
            if (claimed == 0) {
                return false;
            }
            produce.run();
            return true;
        });
    }

    /** Marks the entries purged by {@code actor}; entries already purged keep their first purge. */
    void purge(String topic, Collection<EntryId> ids, String tenant, String actor) {
        if (ids.isEmpty()) {
            return;
        }
        var insert = dsl.insertInto(DLQ_ENTRIES, DLQ_ENTRIES.TOPIC, DLQ_ENTRIES.PARTITION_NO,
                DLQ_ENTRIES.RECORD_OFFSET, DLQ_ENTRIES.TENANT_ID, DLQ_ENTRIES.PURGED_AT, DLQ_ENTRIES.PURGED_BY);
        for (EntryId id : ids) {
            insert = insert.values(DSL.val(topic), DSL.val(id.partition()), DSL.val(id.offset()), DSL.val(tenant),
                    DSL.currentOffsetDateTime(), DSL.val(actor));
        }
        insert.onConflict(DLQ_ENTRIES.TOPIC, DLQ_ENTRIES.PARTITION_NO, DLQ_ENTRIES.RECORD_OFFSET)
                .doUpdate()
                .set(DLQ_ENTRIES.PURGED_AT, DSL.currentOffsetDateTime())
                .set(DLQ_ENTRIES.PURGED_BY, actor)
                .where(DLQ_ENTRIES.PURGED_AT.isNull())
                .execute();
    }
}
