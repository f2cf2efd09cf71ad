package io.docstream.ingest.status;

import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static org.jooq.impl.DSL.castNull;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.when;

import io.docstream.schemas.events.ConsistencyToken;
import io.docstream.schemas.events.DocumentCommand;
import io.docstream.schemas.events.DocumentKey;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep6;
import org.springframework.stereotype.Repository;

/**
 * Where each document stands between "accepted by Kafka" and "searchable". Ingest records acceptance;
 * the indexer records what it applied; the invalidator records what became searchable, after it evicted
 * the caches. The accepted version only ever grows. What a client sees is gated on the searchable
 * version, not the indexed one: a version is reported {@code indexed} only once every cache layer serves
 * it, so a read issued after that answer never returns an older version.
 */
@Repository
public class IndexingStatuses {

    private static final Long NONE = -1L;

    private final DSLContext dsl;

    IndexingStatuses(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Under a lock on the document's status row, asks {@code precondition} whether a conditional write may proceed
     * given the accepted version and, when it may, moves the accepted version to {@code version} before the command
     * is published, so a second write holding the same tag fails. Returns the version held before; empty when the
     * document was never accepted or the precondition failed.
     */
    public Optional<Long> reserve(String tenant, String documentId, LongPredicate precondition,
            long version) {
        var s = INDEXING_STATUS;
        return dsl.transactionResult(transaction -> {
            DSLContext tx = transaction.dsl();
            Long accepted = tx.select(s.ACCEPTED_VERSION).from(s)
                    .where(s.TENANT_ID.eq(tenant), s.DOCUMENT_ID.eq(documentId))
                    .forUpdate()
                    .fetchOne(s.ACCEPTED_VERSION);
            if (accepted == null || !precondition.test(accepted)) {
                return Optional.<Long>empty();
            }
            tx.update(s).set(s.ACCEPTED_VERSION, greatest(s.ACCEPTED_VERSION, inline(version)))
                    .where(s.TENANT_ID.eq(tenant), s.DOCUMENT_ID.eq(documentId))
                    .execute();
            return Optional.of(accepted);
        });
    }

    /** Gives a reservation back when its command could not be published: the accepted version it replaced. */
    public void release(String tenant, String documentId, long previous, long version) {
        var s = INDEXING_STATUS;
        dsl.update(s).set(s.ACCEPTED_VERSION, previous)
                .where(s.TENANT_ID.eq(tenant), s.DOCUMENT_ID.eq(documentId), s.ACCEPTED_VERSION.eq(version))
                .execute();
    }

    /** Records that Kafka acknowledged these commands. */
    public void recordAccepted(Collection<? extends DocumentCommand> commands) {
        if (commands.isEmpty()) {
            return;
        }
        // One row per document: PostgreSQL refuses to upsert the same row twice in one statement.
        Map<DocumentKey, DocumentCommand> newest = new LinkedHashMap<>();
        for (DocumentCommand command : commands) {
            newest.merge(command.key(), command, (a, b) -> b.version() >= a.version() ? b : a);
        }
        var s = INDEXING_STATUS;
        InsertValuesStep6<?, String, String, Long, java.time.OffsetDateTime, String, java.time.OffsetDateTime> insert =
                dsl.insertInto(s, s.TENANT_ID, s.DOCUMENT_ID, s.ACCEPTED_VERSION, s.ACCEPTED_AT, s.STATE, s.UPDATED_AT);
        for (DocumentCommand command : newest.values()) {
            var acceptedAt = command.acceptedAt().atOffset(ZoneOffset.UTC);
            insert = insert.values(command.tenant(), command.documentId(), command.version(), acceptedAt,
                    "pending", acceptedAt);
        }
        Field<Long> accepted = greatest(s.ACCEPTED_VERSION, excluded(s.ACCEPTED_VERSION));
        Condition newer = excluded(s.ACCEPTED_VERSION).ge(coalesce(s.ACCEPTED_VERSION, NONE));
        Condition ahead = accepted.gt(coalesce(s.INDEXED_VERSION, NONE));
        insert.onConflict(s.TENANT_ID, s.DOCUMENT_ID)
                .doUpdate()
                .set(s.ACCEPTED_VERSION, accepted)
                .set(s.ACCEPTED_AT, when(newer, excluded(s.ACCEPTED_AT)).otherwise(s.ACCEPTED_AT))
                .set(s.STATE, when(ahead, inline("pending")).otherwise(s.STATE))
                .set(s.ERROR, when(ahead, castNull(s.ERROR)).otherwise(s.ERROR))
                .set(s.UPDATED_AT, currentOffsetDateTime())
                .execute();
    }

    /**
     * {@code failed} wins (the indexer gave up on the accepted version; ingest clears it when a newer
     * version is accepted); otherwise {@code pending} while the accepted version is not yet searchable;
     * otherwise the indexer's {@code indexed} or {@code deleted}.
     */
    Optional<DocumentStatus> find(String tenant, String documentId) {
        var s = INDEXING_STATUS;
        Field<String> state = when(s.STATE.eq(inline("failed")), s.STATE)
                .when(coalesce(s.ACCEPTED_VERSION, NONE).gt(coalesce(s.SEARCHABLE_VERSION, NONE)), inline("pending"))
                .otherwise(s.STATE);
        return dsl.select(s.DOCUMENT_ID, s.ACCEPTED_VERSION, s.SEARCHABLE_VERSION, state, s.ERROR)
                .from(s)
                .where(s.TENANT_ID.eq(tenant).and(s.DOCUMENT_ID.eq(documentId)))
                .fetchOptional(row -> new DocumentStatus(row.value1(), row.value2(), row.value3(), row.value4(),
                        row.value5(), row.value2() == null || row.value2() < 1 ? null
                                : new ConsistencyToken(row.value1(), row.value2()).toString()));
    }
}
