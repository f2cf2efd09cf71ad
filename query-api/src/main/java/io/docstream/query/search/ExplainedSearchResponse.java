package io.docstream.query.search;

import java.util.List;

/**
 * The body of {@code GET /api/v1/search?explain=true}: the plain answer's fields, each result with its parts, and
 * the fusion they were fused by.
 */
record ExplainedSearchResponse(List<Result> results, String mode, List<String> degraded, String nextCursor,
        String cache, long tookMs, SearchExplanation explanation) {

    /** A result as in a plain answer, with its ranks and scores in each retrieval. */
    record Result(String id, String title, String snippet, double score, long version,
            SearchExplanation.Parts explain) {
    }

    static ExplainedSearchResponse of(SearchPages.Explained explained, String mode, long tookMs) {
        SearchPage page = explained.answer().page();
        List<Result> results = page.results().stream()
                .map(result -> new Result(result.id(), result.title(), result.snippet(), result.score(),
                        result.version(), explained.explanation().parts().get(result.id())))
                .toList();
        return new ExplainedSearchResponse(results, mode, explained.answer().degraded(), page.nextCursor(),
                explained.answer().layer(), tookMs, explained.explanation().explanation());
    }
}
