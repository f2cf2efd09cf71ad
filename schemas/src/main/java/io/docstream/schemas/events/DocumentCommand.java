package io.docstream.schemas.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * A change a producer asked for, keyed {@code tenant/documentId} on {@code docstream.documents.v1}.
 * Every sink applies a command only when its {@link #version()} is newer than what it holds.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = UpsertDocument.class, name = "upsert"),
    @JsonSubTypes.Type(value = DeleteDocument.class, name = "delete")
})
public sealed interface DocumentCommand permits UpsertDocument, DeleteDocument {

    int SCHEMA_VERSION = 1;

    int schemaVersion();

    String tenant();

    String documentId();

    long version();

    Instant acceptedAt();

    default DocumentKey key() {
        return new DocumentKey(tenant(), documentId());
    }
}
