package io.docstream.ingest.documents;

import io.docstream.schemas.events.ConsistencyToken;

/**
 * The answer to an accepted command: where to follow it until it is searchable, and the consistency token that makes
 * a search or read wait for it ({@code consistentWith=}).
 */
record AcceptedDocument(String id, long version, String status, String statusUrl, String consistencyToken) {

    static AcceptedDocument of(String id, long version) {
        return new AcceptedDocument(id, version, "accepted", "/api/v1/documents/" + id + "/status",
                new ConsistencyToken(id, version).toString());
    }
}
