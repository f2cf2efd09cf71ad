package io.docstream.query.admin;

import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.percentileCont;
import static org.jooq.impl.DSL.when;

import io.docstream.query.admin.SystemStatus.DocumentStates;
import io.docstream.query.admin.SystemStatus.Freshness;
import java.time.Duration;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;

/** A tenant's documents as PostgreSQL knows them: live rows, states and how fast they became searchable. */
final class TenantDocuments {

    private final DSLContext dsl;

    TenantDocuments(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Rows of documents that are not deleted. */
    long live(String tenant) {
        return dsl.fetchCount(DOCUMENTS, DOCUMENTS.TENANT_ID.eq(tenant).and(DOCUMENTS.DELETED.isFalse()));
    }

    /** Failed wins; a document whose accepted version is ahead of the indexed one is pending. */
    DocumentStates states(String tenant) {
        var s = INDEXING_STATUS;
        Field<String> state = when(s.STATE.eq(inline("failed")), inline("failed"))
                .when(coalesce(s.ACCEPTED_VERSION, inline(-1L)).gt(coalesce(s.INDEXED_VERSION, inline(-1L))),
                        inline("pending"))
                .otherwise(s.STATE)
                .as("effective_state");
        Map<String, Integer> counts = dsl.select(state, count())
                .from(s)
                .where(s.TENANT_ID.eq(tenant))
                .groupBy(state)
                .fetchMap(state, count());
        return new DocumentStates(counts.getOrDefault("pending", 0), counts.getOrDefault("indexed", 0),
                counts.getOrDefault("failed", 0), counts.getOrDefault("deleted", 0));
    }

    /**
     * Percentiles of accepted-to-searchable time for versions made searchable within {@code window}; only
     * rows whose searchable version is the accepted one, so both times belong to the same version.
     */
    Freshness freshness(String tenant, Duration window) {
        var s = INDEXING_STATUS;
        Field<Double> millis = field("extract(epoch from ({0} - {1})) * 1000", Double.class, s.SEARCHABLE_AT,
                s.ACCEPTED_AT);
        Record3<Double, Double, Integer> row = dsl.select(
                        percentileCont(0.5).withinGroupOrderBy(millis).cast(Double.class),
                        percentileCont(0.99).withinGroupOrderBy(millis).cast(Double.class),
                        count())
                .from(s)
                .where(s.TENANT_ID.eq(tenant))
                .and(s.SEARCHABLE_VERSION.eq(s.ACCEPTED_VERSION))
                .and(s.SEARCHABLE_AT.ge(currentOffsetDateTime().minus(field("{0}::interval", Object.class,
                        inline(window.toSeconds() + " seconds")))))
                .fetchOne();
        return new Freshness(round(row.value1()), round(row.value2()), row.value3(), window);
    }

    private static Double round(Double millis) {
        return millis == null ? null : Math.round(millis * 10) / 10.0;
    }
}
