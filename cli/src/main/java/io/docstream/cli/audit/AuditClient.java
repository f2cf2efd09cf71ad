package io.docstream.cli.audit;

import io.docstream.cli.ServiceHttp;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reads pages of the query API's {@code /api/v1/audit}; a problem answer becomes its {@code detail} as one line. */
final class AuditClient {

    private final ServiceHttp queryApi;

    AuditClient(ServiceHttp queryApi) {
        this.queryApi = queryApi;
    }

    JsonNode page(Map<String, String> parameters) {
        return queryApi.get("/api/v1/audit?" + ServiceHttp.query(parameters), 200);
    }
}
