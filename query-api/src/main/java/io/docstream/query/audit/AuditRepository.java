package io.docstream.query.audit;

import static io.docstream.schemas.db.Tables.AUDIT_LOG;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record8;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Reads one tenant's audit trail, newest first, by keyset on ({@code occurred_at}, {@code audit_id}). Every
 * filter is a plain equality or range on an indexed column, so PostgreSQL serves an actor, action or request
 * id listing from its index ((tenant, actor, time), (tenant, action, time), (request id)).
 */
@Repository
class AuditRepository {

    private final DSLContext dsl;

    AuditRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Up to {@code limit} entries after {@code after} (null: from the newest). */
    List<AuditEntry> list(String tenant, AuditFilter filter, AuditCursor after, int limit) {
        return query(tenant, filter, after, limit).fetch(row -> new AuditEntry(row.value1(), row.value2(), row.value3(),
                row.value4(), row.value5(), row.value6(), row.value7(), row.value8().toInstant()));
    }

    /** The listing's statement, also for looking at its plan. */
    Select<Record8<UUID, String, String, String, String, String, String, OffsetDateTime>> query(String tenant, AuditFilter filter, AuditCursor after, int limit) {
        var a = AUDIT_LOG;
        List<Condition> conditions = new ArrayList<>();
        conditions.add(a.TENANT_ID.eq(tenant));
        if (filter.actor() != null) {
            conditions.add(a.ACTOR.eq(filter.actor()));
        }
        if (filter.action() != null) {
            conditions.add(a.ACTION.eq(filter.action()));
        }
        if (filter.requestId() != null) {
            conditions.add(a.REQUEST_ID.eq(filter.requestId()));
        }
        if (filter.since() != null) {
            conditions.add(a.OCCURRED_AT.ge(filter.since().atOffset(ZoneOffset.UTC)));
        }
        if (filter.until() != null) {
            conditions.add(a.OCCURRED_AT.lt(filter.until().atOffset(ZoneOffset.UTC)));
        }
        if (after != null) {
            conditions.add(DSL.row(a.OCCURRED_AT, a.AUDIT_ID)
                    .lt(after.occurredAt().atOffset(ZoneOffset.UTC), after.auditId()));
        }
        return dsl.select(a.AUDIT_ID, a.ACTOR, a.ACTION, a.RESOURCE, a.OUTCOME, a.REQUEST_ID, a.TRACE_ID,
                        a.OCCURRED_AT)
                .from(a)
                .where(conditions)
                .orderBy(a.OCCURRED_AT.desc(), a.AUDIT_ID.desc())
                .limit(limit);
    }
}
