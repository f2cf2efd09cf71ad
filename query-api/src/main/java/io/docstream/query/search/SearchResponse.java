package io.docstream.query.search;

import java.util.List;

/**
 * The body of {@code GET /api/v1/search}. What differs between two answers of one cached page ({@code cache},
 * {@code tookMs}) comes last, so {@link SearchAnswers} can keep the rest as bytes.
 */
record SearchResponse(List<SearchResult> results, String mode, List<String> degraded, String nextCursor,
        String cache, long tookMs) {
}
