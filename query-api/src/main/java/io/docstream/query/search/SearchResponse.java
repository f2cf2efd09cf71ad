package io.docstream.query.search;

import java.util.List;

/** The body of {@code GET /api/v1/search}. */
record SearchResponse(List<SearchResult> results, String mode, String cache, List<String> degraded, long tookMs,
        String nextCursor) {
}
