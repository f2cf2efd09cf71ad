package io.docstream.cli.replay;

import io.docstream.cli.AdminHttp;
import io.docstream.cli.replay.ReplayCommand.ReplayException;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the indexer's {@code /api/v1/admin/replay}; a problem answer becomes its {@code detail} as one line. */
final class ReplayClient {

    static final String PATH = "/api/v1/admin/replay";

    private final AdminHttp http;

    ReplayClient(JsonMapper mapper, String apiKey, String indexerUrl) {
        this.http = new AdminHttp(mapper, apiKey, indexerUrl, "the indexer", Duration.ofSeconds(90), ReplayException::new);
    }

    /** Starts a replay; the indexer answers once it is running (stopping its Streams first takes seconds). */
    JsonNode start(JsonNode body) {
        return http.post(PATH, body, 202);
    }

    JsonNode status() {
        return http.get(PATH, 200);
    }
}
