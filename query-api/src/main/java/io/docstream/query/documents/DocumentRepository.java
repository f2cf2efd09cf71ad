package io.docstream.query.documents;

import static io.docstream.schemas.db.Tables.CHUNKS;
import static io.docstream.schemas.db.Tables.DOCUMENTS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads live (not deleted) documents of one tenant from PostgreSQL, the indexer's system of record. */
@Repository
class DocumentRepository {

    private final DSLContext dsl;
    private final JsonMapper mapper;

    DocumentRepository(DSLContext dsl, JsonMapper mapper) {
        this.dsl = dsl;
        this.mapper = mapper;
    }

    Optional<StoredDocument> find(String tenant, String documentId) {
        return dsl.select(DOCUMENTS.DOCUMENT_ID, DOCUMENTS.TITLE, DOCUMENTS.BODY, DOCUMENTS.METADATA,
                        DOCUMENTS.VERSION, DOCUMENTS.UPDATED_AT)
                .from(DOCUMENTS)
                .where(DOCUMENTS.TENANT_ID.eq(tenant), DOCUMENTS.DOCUMENT_ID.eq(documentId), DOCUMENTS.DELETED.isFalse())
                .fetchOptional(row -> new StoredDocument(row.value1(), row.value2(), row.value3(),
                        metadata(row.value4()), row.value5(), row.value6().toInstant()));
    }

    /** The chunks the indexer stored for the document's current version, in order; empty while none are. */
    List<DocumentChunks.Chunk> chunks(String tenant, String documentId, long version) {
        return dsl.select(CHUNKS.CHUNK_INDEX, CHUNKS.TEXT, CHUNKS.CHUNK_HASH, CHUNKS.TOKEN_COUNT)
                .from(CHUNKS)
                .where(CHUNKS.TENANT_ID.eq(tenant), CHUNKS.DOCUMENT_ID.eq(documentId), CHUNKS.VERSION.eq(version))
                .orderBy(CHUNKS.CHUNK_INDEX)
                .fetch(row -> new DocumentChunks.Chunk(row.value1(), row.value2(), row.value3(), row.value4()));
    }

    /** Up to {@code limit} documents ordered by id, starting after {@code afterId} (keyset, no OFFSET). */
    List<DocumentSummary> list(String tenant, String afterId, int limit) {
        Condition after = afterId == null ? DSL.noCondition() : DOCUMENTS.DOCUMENT_ID.gt(afterId);
        return dsl.select(DOCUMENTS.DOCUMENT_ID, DOCUMENTS.TITLE, DOCUMENTS.METADATA, DOCUMENTS.VERSION,
                        DOCUMENTS.UPDATED_AT)
                .from(DOCUMENTS)
                .where(DOCUMENTS.TENANT_ID.eq(tenant), DOCUMENTS.DELETED.isFalse(), after)
                .orderBy(DOCUMENTS.DOCUMENT_ID)
                .limit(limit)
                .fetch(row -> new DocumentSummary(row.value1(), row.value2(), metadata(row.value3()), row.value4(),
                        row.value5().toInstant()));
    }

    private Map<String, String> metadata(JSONB json) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (json == null) {
            return metadata;
        }
        JsonNode node = mapper.readTree(json.data());
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            metadata.put(entry.getKey(), value.isValueNode() ? value.asString() : value.toString());
        }
        return metadata;
    }
}
