package io.docstream.schemas.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** Create or replace a document's title, body and metadata at {@code version}. */
public record UpsertDocument(
        int schemaVersion,
        String tenant,
        String documentId,
        long version,
        String title,
        String body,
        Map<String, String> metadata,
        Instant acceptedAt) implements DocumentCommand {

    public UpsertDocument {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        title = title == null ? "" : title;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public UpsertDocument(String tenant, String documentId, long version, String title, String body,
            Map<String, String> metadata, Instant acceptedAt) {
        this(SCHEMA_VERSION, tenant, documentId, version, title, body, metadata, acceptedAt);
    }
}
