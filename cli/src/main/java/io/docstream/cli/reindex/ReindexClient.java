package io.docstream.cli.reindex;

import io.docstream.cli.AdminHttp;
import io.docstream.cli.reindex.ReindexCommand.ReindexException;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the indexer's {@code /api/v1/admin/reindex}; a problem answer becomes its {@code detail} as one line. */
final class ReindexClient {

    static final String PATH = "/api/v1/admin/reindex";

    private final AdminHttp http;

    ReindexClient(JsonMapper mapper, String apiKey, String indexerUrl) {
        this.http = new AdminHttp(mapper, apiKey, indexerUrl, "the indexer", Duration.ofSeconds(60), ReindexException::new);
    }

    JsonNode start(JsonNode body) {
        return http.post(PATH, body, 202);
    }

    JsonNode status() {
        return http.get(PATH, 200);
    }

    /** {@code switch}, {@code rollback} or {@code finish}, with an optional query string. */
    JsonNode action(String action, String query) {
        return http.post(PATH + "/" + action + (query.isEmpty() ? "" : "?" + query), null, 200);
    }
}
