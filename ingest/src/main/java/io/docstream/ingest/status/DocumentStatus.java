package io.docstream.ingest.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A document's progress, as {@code GET /api/v1/documents/{id}/status} shows it; {@code consistencyToken} names the
 * accepted version, for reads that must reflect it ({@code consistentWith=}).
 */
record DocumentStatus(String id, Long acceptedVersion, Long indexedVersion, String state,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) String consistencyToken) {
}
