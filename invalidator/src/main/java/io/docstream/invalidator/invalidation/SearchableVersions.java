package io.docstream.invalidator.invalidation;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;

import io.docstream.schemas.events.DocumentIndexed;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The version of each document that every cache layer serves: {@code indexing_status.searchable_version},
 * which the ingest status endpoint reports, with the tenant generation the eviction moved to
 * ({@code searchable_generation}, which query APIs judge consistency tokens by). Written only after the version's
 * cache eviction ran, and only forward. The row exists already: the indexer wrote it before its event became readable.
 */
final class SearchableVersions {

    /** True when the version moved forward, false when the row already held it or a newer one. */
    boolean markSearchable(DSLContext tx, DocumentIndexed event, long generation, Instant at) {
        var s = INDEXING_STATUS;
        return tx.update(s)
                .set(s.SEARCHABLE_VERSION, event.version())
                .set(s.SEARCHABLE_AT, at.atOffset(ZoneOffset.UTC))
                .set(s.SEARCHABLE_GENERATION, generation)
                .set(s.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(s.TENANT_ID.eq(event.tenant()).and(s.DOCUMENT_ID.eq(event.documentId())))
                .and(s.SEARCHABLE_VERSION.isNull().or(s.SEARCHABLE_VERSION.lt(event.version())))
                .execute() > 0;
    }
}
