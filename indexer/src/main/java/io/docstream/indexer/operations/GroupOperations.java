package io.docstream.indexer.operations;

import static io.docstream.schemas.db.Tables.INDEXER_OPERATIONS;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replay and the reindex of the indexer group, kept in PostgreSQL ({@code indexer_operations}) so that every
 * instance sees the one that runs: the instance running it claims the kind and publishes its status, refreshed
 * while it runs; any other instance answers status from there, refuses a second run, and leaves an operator's
 * request (finish, switch, rollback) for the owner to apply. An owner silent for {@link #STALE_AFTER} (a crashed
 * instance) no longer blocks a new run.
 */
public final class GroupOperations {

    public static final String REPLAY = "replay";
    public static final String REINDEX = "reindex";
    /** How long an active run's owner may go without publishing before others take it for dead. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(GroupOperations.class);

    private final DSLContext dsl;
    private final String instance;

    public GroupOperations(DSLContext dsl, String instance) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    /** The run of one kind as its owner last published it. */
    public record Operation(String owner, boolean active, String statusJson, Instant updatedAt,
            String requestedAction, String requestedByJson) {

        /** The published status as {@code type}, or empty before the owner published one. */
        public <T> Optional<T> status(Class<T> type) {
            return statusJson == null ? Optional.empty() : Optional.of(JSON.readValue(statusJson, type));
        }

        /** Who asked for the pending action, as {@code type}. */
        public <T> T requestedBy(Class<T> type) {
            return JSON.readValue(requestedByJson, type);
        }
    }

    public String instance() {
        return instance;
    }

    /**
     * Makes this instance the owner of an active run of {@code kind}, unless another instance's run is active and
     * alive; the last published status stays until this instance publishes its own.
     *
     * @return whether this instance owns the run now
     */
    public boolean claim(String kind) {
        return dsl.insertInto(INDEXER_OPERATIONS)
                .set(INDEXER_OPERATIONS.KIND, kind)
                .set(INDEXER_OPERATIONS.OWNER, instance)
                .set(INDEXER_OPERATIONS.ACTIVE, true)
                .onConflict(INDEXER_OPERATIONS.KIND)
                .doUpdate()
                .set(INDEXER_OPERATIONS.OWNER, instance)
                .set(INDEXER_OPERATIONS.ACTIVE, true)
                .set(INDEXER_OPERATIONS.UPDATED_AT, DSL.currentOffsetDateTime())
                .setNull(INDEXER_OPERATIONS.REQUESTED_ACTION)
                .setNull(INDEXER_OPERATIONS.REQUESTED_BY)
                .setNull(INDEXER_OPERATIONS.REQUESTED_AT)
                .where(INDEXER_OPERATIONS.ACTIVE.isFalse()
                        .or(INDEXER_OPERATIONS.OWNER.eq(instance))
                        .or(INDEXER_OPERATIONS.UPDATED_AT.lt(staleBefore())))
                .execute() == 1;
    }

    /** Publishes this instance's status of {@code kind}, if it still owns it; {@code active} false ends the run. */
    public void publish(String kind, boolean active, Object status) {
        dsl.update(INDEXER_OPERATIONS)
                .set(INDEXER_OPERATIONS.ACTIVE, active)
                .set(INDEXER_OPERATIONS.STATUS, JSONB.valueOf(JSON.writeValueAsString(status)))
                .set(INDEXER_OPERATIONS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(INDEXER_OPERATIONS.KIND.eq(kind), INDEXER_OPERATIONS.OWNER.eq(instance))
                .execute();
    }

    /** Ends this instance's claim on {@code kind} without a status of its own (a start that was refused). */
    public void release(String kind) {
        dsl.update(INDEXER_OPERATIONS)
                .set(INDEXER_OPERATIONS.ACTIVE, false)
                .where(INDEXER_OPERATIONS.KIND.eq(kind), INDEXER_OPERATIONS.OWNER.eq(instance))
                .execute();
    }

    public Optional<Operation> read(String kind) {
        return dsl.selectFrom(INDEXER_OPERATIONS).where(INDEXER_OPERATIONS.KIND.eq(kind)).fetchOptional()
                .map(row -> new Operation(row.getOwner(), row.getActive(),
                        row.getStatus() == null ? null : row.getStatus().data(), row.getUpdatedAt().toInstant(),
                        row.getRequestedAction(), row.getRequestedBy() == null ? null : row.getRequestedBy().data()));
    }

    /**
     * The group's run of {@code kind} as {@code type}: this instance's own ({@code local}) when it owns the run or none
     * was recorded, else the status its owner published. Without PostgreSQL, this instance's own.
     */
    public <T> T status(String kind, Class<T> type, Supplier<T> local) {
        Optional<Operation> shared;
        try {
            shared = read(kind);
        } catch (RuntimeException e) {
            log.debug("Cannot read the group's {}; answering this instance's own", kind, e);
            return local.get();
        }
        if (ownedHere(shared)) {
            return local.get();
        }
        return shared.flatMap(run -> run.status(type)).orElseGet(local);
    }

    /** Whether this instance owns the run of {@code kind} (or none was ever recorded). */
    public boolean ownedHere(Optional<Operation> operation) {
        return operation.map(run -> run.owner().equals(instance)).orElse(true);
    }

    /**
     * Leaves {@code action} for the owner of the active run of {@code kind}.
     *
     * @return false when no run of that kind is active
     */
    public boolean request(String kind, String action, Object caller) {
        return dsl.update(INDEXER_OPERATIONS)
                .set(INDEXER_OPERATIONS.REQUESTED_ACTION, action)
                .set(INDEXER_OPERATIONS.REQUESTED_BY, JSONB.valueOf(JSON.writeValueAsString(caller)))
                .set(INDEXER_OPERATIONS.REQUESTED_AT, DSL.currentOffsetDateTime())
                .where(INDEXER_OPERATIONS.KIND.eq(kind), INDEXER_OPERATIONS.ACTIVE.isTrue())
                .execute() == 1;
    }

    /** The action left for this instance's run of {@code kind}, taken off the row; empty when there is none. */
    public Optional<Operation> takeRequest(String kind) {
        Optional<Operation> pending = read(kind)
                .filter(run -> run.owner().equals(instance) && run.requestedAction() != null);
        pending.ifPresent(run -> dsl.update(INDEXER_OPERATIONS)
                .setNull(INDEXER_OPERATIONS.REQUESTED_ACTION)
                .setNull(INDEXER_OPERATIONS.REQUESTED_BY)
                .setNull(INDEXER_OPERATIONS.REQUESTED_AT)
                .where(INDEXER_OPERATIONS.KIND.eq(kind), INDEXER_OPERATIONS.OWNER.eq(instance))
                .execute());
        return pending;
    }

    private static Field<OffsetDateTime> staleBefore() {
        return DSL.field("now() - make_interval(secs => {0})", SQLDataType.TIMESTAMPWITHTIMEZONE,
                DSL.val((double) STALE_AFTER.toSeconds()));
    }
}
