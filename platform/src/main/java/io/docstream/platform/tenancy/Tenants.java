package io.docstream.platform.tenancy;

import static io.docstream.schemas.db.Tables.TENANTS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The {@code tenants} table: create, list, disable and enable. A disabled tenant's keys are refused by
 * {@link ApiKeys#authenticate}; its documents, keys and audit trail stay, and enabling it restores access.
 */
public final class Tenants {

    private final DSLContext dsl;

    public Tenants(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /** A tenant as listed. */
    public record TenantSummary(String id, Instant createdAt, Instant disabledAt) {

        public boolean disabled() {
            return disabledAt != null;
        }
    }

    /** Creates the tenant; empty when one with this id exists already. */
    public Optional<TenantSummary> create(String id) {
        ApiKeys.requireTenant(id);
        return dsl.insertInto(TENANTS, TENANTS.TENANT_ID).values(id).onConflictDoNothing()
                .returning(TENANTS.TENANT_ID, TENANTS.CREATED_AT, TENANTS.DISABLED_AT)
                .fetchOptional()
                .map(Tenants::summary);
    }

    /** Every tenant, by id. */
    public List<TenantSummary> list() {
        return dsl.select(TENANTS.TENANT_ID, TENANTS.CREATED_AT, TENANTS.DISABLED_AT).from(TENANTS)
                .orderBy(TENANTS.TENANT_ID).fetch(Tenants::summary);
    }

    public Optional<TenantSummary> find(String id) {
        return dsl.select(TENANTS.TENANT_ID, TENANTS.CREATED_AT, TENANTS.DISABLED_AT).from(TENANTS)
                .where(TENANTS.TENANT_ID.eq(id)).fetchOptional(Tenants::summary);
    }

    /** Disables (or enables) the tenant; empty when there is none. Disabling a disabled tenant keeps its time. */
    public Optional<TenantSummary> setDisabled(String id, boolean disabled) {
        return dsl.update(TENANTS)
                .set(TENANTS.DISABLED_AT, disabled
                        ? DSL.coalesce(TENANTS.DISABLED_AT, DSL.currentOffsetDateTime())
                        : DSL.inline((OffsetDateTime) null))
                .where(TENANTS.TENANT_ID.eq(id))
                .returning(TENANTS.TENANT_ID, TENANTS.CREATED_AT, TENANTS.DISABLED_AT)
                .fetchOptional()
                .map(Tenants::summary);
    }

    private static TenantSummary summary(Record row) {
        OffsetDateTime disabledAt = row.get(TENANTS.DISABLED_AT);
        return new TenantSummary(row.get(TENANTS.TENANT_ID), row.get(TENANTS.CREATED_AT).toInstant(),
                disabledAt == null ? null : disabledAt.toInstant());
    }
}
