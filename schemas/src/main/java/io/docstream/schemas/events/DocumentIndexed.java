package io.docstream.schemas.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A document version became searchable (or, when {@code deleted}, stopped being searchable).
 * {@code changedChunkCount} counts the chunks whose content hash the previous version did not have.
 */
public record DocumentIndexed(
        int schemaVersion,
        String tenant,
        String documentId,
        long version,
        List<String> chunkHashes,
        int changedChunkCount,
        boolean deleted,
        String modelId,
        Instant acceptedAt,
        Instant indexedAt) {

    public static final int SCHEMA_VERSION = 1;

    public DocumentIndexed {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(indexedAt, "indexedAt");
        chunkHashes = chunkHashes == null ? List.of() : List.copyOf(chunkHashes);
    }

    public DocumentIndexed(String tenant, String documentId, long version, List<String> chunkHashes,
            int changedChunkCount, boolean deleted, String modelId, Instant acceptedAt, Instant indexedAt) {
        this(SCHEMA_VERSION, tenant, documentId, version, chunkHashes, changedChunkCount, deleted, modelId,
                acceptedAt, indexedAt);
    }

    public DocumentKey key() {
        return new DocumentKey(tenant, documentId);
    }
}
