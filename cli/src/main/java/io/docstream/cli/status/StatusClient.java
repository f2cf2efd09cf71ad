package io.docstream.cli.status;

import io.docstream.cli.ServiceHttp;
import tools.jackson.databind.JsonNode;

/** Calls the query API's {@code /api/v1/admin/status}; a problem answer becomes its {@code detail} as one line. */
final class StatusClient {

    static final String PATH = "/api/v1/admin/status";

    private final ServiceHttp queryApi;

    StatusClient(ServiceHttp queryApi) {
        this.queryApi = queryApi;
    }

    JsonNode status() {
        return queryApi.get(PATH, 200);
    }
}
