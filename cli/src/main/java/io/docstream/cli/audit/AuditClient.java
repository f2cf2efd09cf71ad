package io.docstream.cli.audit;

import io.docstream.cli.AdminHttp;
import io.docstream.cli.audit.AuditCommand.AuditException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads pages of the query API's {@code /api/v1/audit}; a problem answer becomes its {@code detail} as one line. */
final class AuditClient {

    private final AdminHttp http;

    AuditClient(JsonMapper mapper, String apiKey, String queryUrl) {
        this.http = new AdminHttp(mapper, apiKey, queryUrl, "the query API", Duration.ofSeconds(30), AuditException::new);
    }

    JsonNode page(Map<String, String> parameters) {
        String query = parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.get("/api/v1/audit?" + query, 200);
    }
}
