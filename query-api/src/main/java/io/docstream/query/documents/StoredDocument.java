package io.docstream.query.documents;

import java.time.Instant;
import java.util.Map;

/** A document as the API shows it: {@code GET /api/v1/documents/{id}}. */
record StoredDocument(String id, String title, String body, Map<String, String> metadata, long version,
        Instant updatedAt) {
}
