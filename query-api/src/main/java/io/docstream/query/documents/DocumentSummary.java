package io.docstream.query.documents;

import java.time.Instant;
import java.util.Map;

/** A document in a listing: everything but the body, which can be large. */
record DocumentSummary(String id, String title, Map<String, String> metadata, long version, Instant updatedAt) {
}
