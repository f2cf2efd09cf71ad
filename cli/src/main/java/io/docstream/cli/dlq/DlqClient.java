package io.docstream.cli.dlq;

import io.docstream.cli.ServiceHttp;
import tools.jackson.databind.JsonNode;

/** The DLQ admin API of ingest, {@code /api/v1/admin/dlq}; a non-2xx answer becomes a one-line error. */
final class DlqClient {

    static final String PATH = "/api/v1/admin/dlq";

    private final ServiceHttp ingest;

    DlqClient(ServiceHttp ingest) {
        this.ingest = ingest;
    }

    /** A page of entries with the counts ({@code total}, {@code pending}, {@code countsByReason}, ...). */
    JsonNode list(int limit, boolean oldestFirst) {
        return ingest.get(PATH + "?limit=" + limit + "&order=" + (oldestFirst ? "oldest" : "newest"), 0);
    }

    JsonNode entry(String id) {
        return ingest.get(PATH + "/" + id, 0);
    }

    JsonNode redrive(String id) {
        return ingest.post(PATH + "/" + id + "/redrive", null, 0);
    }

    JsonNode redriveAll() {
        return ingest.post(PATH + "/redrive", null, 0);
    }

    JsonNode purge() {
        return ingest.delete(PATH, 0);
    }
}
