package io.docstream.schemas.events;

import java.time.Instant;
import java.util.Objects;

/** Remove a document; versions up to {@code version} are gone for good. */
public record DeleteDocument(
        int schemaVersion,
        String tenant,
        String documentId,
        long version,
        Instant acceptedAt) implements DocumentCommand {

    public DeleteDocument {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
    }

    public DeleteDocument(String tenant, String documentId, long version, Instant acceptedAt) {
        this(SCHEMA_VERSION, tenant, documentId, version, acceptedAt);
    }
}
