package io.docstream.indexer.storage;

import static io.docstream.schemas.db.Tables.CHUNKS;
import static io.docstream.schemas.db.Tables.DOCUMENTS;
import static io.docstream.schemas.db.Tables.INDEXING_STATUS;
import static io.docstream.schemas.db.Tables.TENANTS;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.when;

import io.docstream.search.chunking.Chunk;
import io.docstream.schemas.events.DeleteDocument;
import io.docstream.schemas.events.DocumentKey;
import io.docstream.schemas.events.UpsertDocument;
import io.docstream.schemas.db.tables.records.ChunksRecord;
import io.docstream.schemas.serde.EventMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record2;
import org.jooq.InsertValuesStep9;
import org.jooq.Row2;
import org.jooq.Row3;
import org.jooq.impl.DSL;

/**
 * The indexer's writes to PostgreSQL, the system of record the API reads. A batch is one transaction;
 * documents rows change only when the incoming version is newer, chunks follow their document, and
 * the indexing status records what became searchable. Re-running a batch changes nothing. Tenants are
 * never created here: a command for a tenant that does not exist fails on the foreign key, as poison.
 */
public final class DocumentStore {

    /** Chunk rows per insert statement: nine parameters each, well under PostgreSQL's 32,767 per statement. */
    static final int CHUNK_ROWS_PER_INSERT = 1_000;

    private final DSLContext dsl;

    public DocumentStore(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    /** Records a batch of applied commands in one transaction. */
    public void apply(List<IndexedDocument> batch) {
        if (batch.isEmpty()) {
            return;
        }
        dsl.transaction(transaction -> {
            DSLContext tx = transaction.dsl();
            Set<DocumentKey> upserted = upsertDocuments(tx, batch);
            Set<DocumentKey> deleted = deleteDocuments(tx, batch);
            Set<DocumentKey> changed = new HashSet<>(upserted);
            changed.addAll(deleted);
            replaceChunks(tx, batch, changed);
            recordIndexed(tx, batch);
        });
    }

    /**
     * Marks a document whose command can never be indexed as failed, with the reason. A document of a tenant
     * that does not exist has no status row to hold this (and the indexer never creates tenants: a command
     * for an unknown tenant is itself poison), so it is left alone; returns whether the status was written.
     */
    public boolean markFailed(DocumentKey key, String error) {
        return dsl.insertInto(INDEXING_STATUS, INDEXING_STATUS.TENANT_ID, INDEXING_STATUS.DOCUMENT_ID,
                        INDEXING_STATUS.STATE, INDEXING_STATUS.ERROR)
                .select(DSL.select(TENANTS.TENANT_ID, DSL.val(key.documentId()), DSL.val("failed"), DSL.val(error))
                        .from(TENANTS)
                        .where(TENANTS.TENANT_ID.eq(key.tenant())))
                .onConflict(INDEXING_STATUS.TENANT_ID, INDEXING_STATUS.DOCUMENT_ID)
                .doUpdate()
                .set(INDEXING_STATUS.STATE, "failed")
                .set(INDEXING_STATUS.ERROR, excluded(INDEXING_STATUS.ERROR))
                .set(INDEXING_STATUS.UPDATED_AT, DSL.currentOffsetDateTime())
                .execute() > 0;
    }

    /**
     * The stored chunks of each document whose row holds exactly the given version, in chunk order: what the
     * indexer wrote for that version, so a re-application of it need not chunk the text again. Documents
     * stored at another version, deleted or without chunks are absent.
     */
    public Map<DocumentKey, List<Chunk>> storedChunks(Map<DocumentKey, Long> versions) {
        if (versions.isEmpty()) {
            return Map.of();
        }
        List<Row3<String, String, Long>> wanted = versions.entrySet().stream()
                .map(entry -> row(entry.getKey().tenant(), entry.getKey().documentId(), entry.getValue()))
                .toList();
        Map<DocumentKey, List<Chunk>> chunks = new HashMap<>();
        dsl.select(CHUNKS.TENANT_ID, CHUNKS.DOCUMENT_ID, CHUNKS.CHUNK_INDEX, CHUNKS.TEXT, CHUNKS.CHUNK_HASH,
                        CHUNKS.TOKEN_COUNT, CHUNKS.START_OFFSET, CHUNKS.END_OFFSET)
                .from(CHUNKS)
                .join(DOCUMENTS).on(DOCUMENTS.TENANT_ID.eq(CHUNKS.TENANT_ID), DOCUMENTS.DOCUMENT_ID.eq(CHUNKS.DOCUMENT_ID),
                        DOCUMENTS.VERSION.eq(CHUNKS.VERSION), DOCUMENTS.DELETED.isFalse())
                .where(row(CHUNKS.TENANT_ID, CHUNKS.DOCUMENT_ID, CHUNKS.VERSION).in(wanted))
                .orderBy(CHUNKS.TENANT_ID, CHUNKS.DOCUMENT_ID, CHUNKS.CHUNK_INDEX)
                .forEach(record -> chunks.computeIfAbsent(new DocumentKey(record.value1(), record.value2()),
                        key -> new ArrayList<>()).add(new Chunk(record.value3(), record.value4(), record.value5(),
                        record.value6(), record.value7(), record.value8())));
        return chunks;
    }

    /** The version and deleted flag PostgreSQL holds for each of {@code keys} it has a row for. */
    public Map<DocumentKey, StoredVersion> storedVersions(Collection<DocumentKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<Row2<String, String>> wanted = keys.stream().map(key -> row(key.tenant(), key.documentId())).toList();
        Map<DocumentKey, StoredVersion> versions = new HashMap<>();
        dsl.select(DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID, DOCUMENTS.VERSION, DOCUMENTS.DELETED)
                .from(DOCUMENTS)
                .where(row(DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID).in(wanted))
                .forEach(record -> versions.put(new DocumentKey(record.value1(), record.value2()),
                        new StoredVersion(record.value3(), Boolean.TRUE.equals(record.value4()))));
        return versions;
    }

    /** A document's version in PostgreSQL and whether it is deleted at that version. */
    public record StoredVersion(long version, boolean deleted) {
    }

    private static Set<DocumentKey> upsertDocuments(DSLContext tx, List<IndexedDocument> batch) {
        List<IndexedDocument> upserts = batch.stream()
                .filter(document -> document.command() instanceof UpsertDocument)
                .toList();
        if (upserts.isEmpty()) {
            return Set.of();
        }
        var insert = tx.insertInto(DOCUMENTS, DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID, DOCUMENTS.VERSION,
                DOCUMENTS.TITLE, DOCUMENTS.BODY, DOCUMENTS.METADATA, DOCUMENTS.MODEL_ID, DOCUMENTS.DELETED);
        for (IndexedDocument document : upserts) {
            UpsertDocument upsert = (UpsertDocument) document.command();
            insert = insert.values(upsert.tenant(), upsert.documentId(), upsert.version(), upsert.title(),
                    upsert.body(), json(upsert.metadata()), document.modelId(), false);
        }
        return keys(insert.onConflict(DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID)
                .doUpdate()
                .set(DOCUMENTS.VERSION, excluded(DOCUMENTS.VERSION))
                .set(DOCUMENTS.TITLE, excluded(DOCUMENTS.TITLE))
                .set(DOCUMENTS.BODY, excluded(DOCUMENTS.BODY))
                .set(DOCUMENTS.METADATA, excluded(DOCUMENTS.METADATA))
                .set(DOCUMENTS.MODEL_ID, excluded(DOCUMENTS.MODEL_ID))
                .set(DOCUMENTS.DELETED, false)
                .set(DOCUMENTS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(DOCUMENTS.VERSION.lt(excluded(DOCUMENTS.VERSION)))
                .returningResult(DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID)
                .fetch());
    }

    /** A delete keeps the row, marked deleted at the delete's version, so older upserts stay out. */
    private static Set<DocumentKey> deleteDocuments(DSLContext tx, List<IndexedDocument> batch) {
        List<DeleteDocument> deletes = batch.stream()
                .map(IndexedDocument::command)
                .filter(DeleteDocument.class::isInstance)
                .map(DeleteDocument.class::cast)
                .toList();
        if (deletes.isEmpty()) {
            return Set.of();
        }
        var insert = tx.insertInto(DOCUMENTS, DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID, DOCUMENTS.VERSION,
                DOCUMENTS.DELETED);
        for (DeleteDocument delete : deletes) {
            insert = insert.values(delete.tenant(), delete.documentId(), delete.version(), true);
        }
        return keys(insert.onConflict(DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID)
                .doUpdate()
                .set(DOCUMENTS.VERSION, excluded(DOCUMENTS.VERSION))
                .set(DOCUMENTS.DELETED, true)
                .set(DOCUMENTS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(DOCUMENTS.VERSION.lt(excluded(DOCUMENTS.VERSION)))
                .returningResult(DOCUMENTS.TENANT_ID, DOCUMENTS.DOCUMENT_ID)
                .fetch());
    }

    /** Chunk rows follow the documents rows that changed: replaced for upserts, gone for deletes. */
    private static void replaceChunks(DSLContext tx, List<IndexedDocument> batch, Set<DocumentKey> changed) {
        if (changed.isEmpty()) {
            return;
        }
        List<Row2<String, String>> changedRows = changed.stream()
                .map(key -> row(key.tenant(), key.documentId()))
                .toList();
        tx.deleteFrom(CHUNKS).where(row(CHUNKS.TENANT_ID, CHUNKS.DOCUMENT_ID).in(changedRows)).execute();
        List<IndexedDocument> withChunks = batch.stream()
                .filter(document -> document.command() instanceof UpsertDocument)
                .filter(document -> changed.contains(document.command().key()))
                .filter(document -> !document.chunks().isEmpty())
                .toList();
        if (withChunks.isEmpty()) {
            return;
        }
        var insert = newChunkInsert(tx);
        int rows = 0;
        for (IndexedDocument document : withChunks) {
            for (Chunk chunk : document.chunks()) {
                insert = insert.values(document.command().tenant(), document.command().documentId(), chunk.index(),
                        document.command().version(), chunk.hash(), chunk.text(), chunk.tokenCount(),
                        chunk.startOffset(), chunk.endOffset());
                if (++rows % CHUNK_ROWS_PER_INSERT == 0) {
                    insert.execute();
                    insert = newChunkInsert(tx);
                }
            }
        }
        if (rows % CHUNK_ROWS_PER_INSERT != 0) {
            insert.execute();
        }
    }

    private static InsertValuesStep9<ChunksRecord, String, String, Integer, Long, String, String, Integer, Integer,
            Integer> newChunkInsert(DSLContext tx) {
        return tx.insertInto(CHUNKS, CHUNKS.TENANT_ID, CHUNKS.DOCUMENT_ID, CHUNKS.CHUNK_INDEX, CHUNKS.VERSION,
                CHUNKS.CHUNK_HASH, CHUNKS.TEXT, CHUNKS.TOKEN_COUNT, CHUNKS.START_OFFSET, CHUNKS.END_OFFSET);
    }

    /**
     * Status per the ingest/indexer contract: indexed version and time move forward only; the state
     * says 'indexed' or 'deleted', unless ingest has already accepted a newer version ('pending').
     */
    private static void recordIndexed(DSLContext tx, List<IndexedDocument> batch) {
        var insert = tx.insertInto(INDEXING_STATUS, INDEXING_STATUS.TENANT_ID, INDEXING_STATUS.DOCUMENT_ID,
                INDEXING_STATUS.ACCEPTED_VERSION, INDEXING_STATUS.ACCEPTED_AT, INDEXING_STATUS.INDEXED_VERSION,
                INDEXING_STATUS.INDEXED_AT, INDEXING_STATUS.STATE);
        for (IndexedDocument document : batch) {
            var command = document.command();
            insert = insert.values(command.tenant(), command.documentId(), command.version(),
                    utc(command.acceptedAt()), command.version(), utc(document.indexedAt()),
                    command instanceof DeleteDocument ? "deleted" : "indexed");
        }
        insert.onConflict(INDEXING_STATUS.TENANT_ID, INDEXING_STATUS.DOCUMENT_ID)
                .doUpdate()
                .set(INDEXING_STATUS.ACCEPTED_AT,
                        when(INDEXING_STATUS.ACCEPTED_VERSION.isNull()
                                .or(INDEXING_STATUS.ACCEPTED_VERSION.lt(excluded(INDEXING_STATUS.ACCEPTED_VERSION))),
                                excluded(INDEXING_STATUS.ACCEPTED_AT))
                                .otherwise(INDEXING_STATUS.ACCEPTED_AT))
                .set(INDEXING_STATUS.ACCEPTED_VERSION,
                        greatest(INDEXING_STATUS.ACCEPTED_VERSION, excluded(INDEXING_STATUS.ACCEPTED_VERSION)))
                .set(INDEXING_STATUS.INDEXED_VERSION, excluded(INDEXING_STATUS.INDEXED_VERSION))
                .set(INDEXING_STATUS.INDEXED_AT, excluded(INDEXING_STATUS.INDEXED_AT))
                .set(INDEXING_STATUS.STATE,
                        when(INDEXING_STATUS.ACCEPTED_VERSION.gt(excluded(INDEXING_STATUS.INDEXED_VERSION)),
                                inline("pending"))
                                .otherwise(excluded(INDEXING_STATUS.STATE)))
                .setNull(INDEXING_STATUS.ERROR)
                .set(INDEXING_STATUS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(INDEXING_STATUS.INDEXED_VERSION.isNull()
                        .or(INDEXING_STATUS.INDEXED_VERSION.le(excluded(INDEXING_STATUS.INDEXED_VERSION))))
                .execute();
    }

    private static Set<DocumentKey> keys(List<? extends Record2<String, String>> rows) {
        Set<DocumentKey> keys = new HashSet<>();
        rows.forEach(row -> keys.add(new DocumentKey(row.value1(), row.value2())));
        return keys;
    }

    private static JSONB json(Map<String, String> metadata) {
        return JSONB.valueOf(EventMapper.INSTANCE.writeValueAsString(metadata));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
