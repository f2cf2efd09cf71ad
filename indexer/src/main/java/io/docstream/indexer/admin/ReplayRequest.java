package io.docstream.indexer.admin;

import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/admin/replay}.
 *
 * @param from        {@code "earliest"}, an ISO-8601 timestamp, or {@code {"offsets": {"0": 12}}}
 * @param tenant      re-apply only this tenant's documents (the caller's own); null re-applies all
 * @param stopIndexer stop this instance's indexer first instead of refusing while it runs
 */
record ReplayRequest(JsonNode from, String tenant, Boolean stopIndexer) {

    boolean stop() {
        return Boolean.TRUE.equals(stopIndexer);
    }
}
