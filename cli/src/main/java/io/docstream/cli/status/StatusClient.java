package io.docstream.cli.status;

import io.docstream.cli.AdminHttp;
import io.docstream.cli.status.StatusCommand.StatusException;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the query API's {@code /api/v1/admin/status}; a problem answer becomes its {@code detail} as one line. */
final class StatusClient {

    static final String PATH = "/api/v1/admin/status";

    private final AdminHttp http;

    StatusClient(JsonMapper mapper, String apiKey, String queryUrl) {
        this.http = new AdminHttp(mapper, apiKey, queryUrl, "the query API", Duration.ofSeconds(60), StatusException::new);
    }

    JsonNode status() {
        return http.get(PATH, 200);
    }
}
