package io.docstream.cli.dlq;

import io.docstream.cli.AdminHttp;
import io.docstream.cli.ApiKeyFile;
import io.docstream.cli.CommandFailure;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The DLQ admin API of ingest, called with an admin-scoped API key; a non-2xx answer becomes a one-line error. */
final class DlqHttp {

    private final AdminHttp http;
    private final JsonMapper mapper = JsonMapper.builder().build();

    DlqHttp(String ingestUrl, String apiKey) {
        this.http = new AdminHttp(mapper, apiKey, ingestUrl.replaceAll("/+$", "") + "/api/v1/admin/dlq", "ingest",
                Duration.ofSeconds(60), DlqException::new);
    }

    static String readKey(Path file) {
        return ApiKeyFile.readFile(file, DlqException::new);
    }

    JsonNode get(String path) {
        return http.get(path, 0);
    }

    JsonNode post(String path) {
        return http.post(path, null, 0);
    }

    JsonNode delete(String path) {
        return http.delete(path, 0);
    }

    String pretty(JsonNode node) {
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    static final class DlqException extends CommandFailure {
        DlqException(String message) {
            super(message);
        }
    }
}
