package io.docstream.query.search;

import java.util.List;

/**
 * One page of a search as cached: the results, the next page's cursor, retrievals that were missing, and what the
 * page was computed from (null for a page that is never cached).
 */
record SearchPage(List<SearchResult> results, String nextCursor, List<String> degraded,
        PageDependencies dependencies) {

    SearchPage(List<SearchResult> results, String nextCursor, List<String> degraded) {
        this(results, nextCursor, degraded, null);
    }
}
