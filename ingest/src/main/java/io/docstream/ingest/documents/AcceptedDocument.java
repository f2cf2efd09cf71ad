package io.docstream.ingest.documents;

/** The answer to an accepted command: where to follow it until it is searchable. */
record AcceptedDocument(String id, long version, String status, String statusUrl) {

    static AcceptedDocument of(String id, long version) {
        return new AcceptedDocument(id, version, "accepted", "/api/v1/documents/" + id + "/status");
    }
}
