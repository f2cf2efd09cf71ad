package io.docstream.cli.reindex;

import io.docstream.cli.ServiceHttp;
import tools.jackson.databind.JsonNode;

/** Calls the indexer's {@code /api/v1/admin/reindex}; a problem answer becomes its {@code detail} as one line. */
final class ReindexClient {

    static final String PATH = "/api/v1/admin/reindex";

    private final ServiceHttp indexer;

    ReindexClient(ServiceHttp indexer) {
        this.indexer = indexer;
    }

    JsonNode start(JsonNode body) {
        return indexer.post(PATH, body, 202);
    }

    JsonNode status() {
        return indexer.get(PATH, 200);
    }

    /** {@code switch}, {@code rollback} or {@code finish}, with an optional query string. */
    JsonNode action(String action, String query) {
        return indexer.post(PATH + "/" + action + (query.isEmpty() ? "" : "?" + query), null, 200);
    }
}
