package io.docstream.query.search;

import java.util.List;

/** One page of a search as cached: the results, the next page's cursor, and retrievals that were missing. */
record SearchPage(List<SearchResult> results, String nextCursor, List<String> degraded) {
}
