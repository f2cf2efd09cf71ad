package io.docstream.ingest.documents;

import java.util.Map;

/** A validated document from a request; {@code id} and {@code version} are null when the producer left them out. */
record DocumentRequest(String id, String title, String body, Map<String, String> metadata, Long version) {
}
