package io.docstream.cli.replay;

import io.docstream.cli.ServiceHttp;
import tools.jackson.databind.JsonNode;

/** Calls the indexer's {@code /api/v1/admin/replay}; a problem answer becomes its {@code detail} as one line. */
final class ReplayClient {

    static final String PATH = "/api/v1/admin/replay";

    private final ServiceHttp indexer;

    ReplayClient(ServiceHttp indexer) {
        this.indexer = indexer;
    }

    /** Starts a replay; the indexer answers once it is running (stopping its Streams first takes seconds). */
    JsonNode start(JsonNode body) {
        return indexer.post(PATH, body, 202);
    }

    JsonNode status() {
        return indexer.get(PATH, 200);
    }
}
