package io.docstream.query.search;

import io.docstream.core.cache.CacheCodec;
import io.docstream.core.cache.TwoLevelCache;
import io.docstream.core.tenancy.ApiKeyPrincipal;
import io.docstream.core.web.ProblemException;
import io.docstream.query.cache.QueryCaches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/search}: the tenant is the key's, the page is the cursor's. Pages are cached under the
 * tenant's search generation, read from Redis first, so a change that is reported indexed is never hidden
 * by a cached page; {@code cache} says which layer answered ({@code l1}, {@code l2} or {@code miss}).
 */
@RestController
class SearchController {

    static final int MAX_QUERY_LENGTH = 1000;
    static final int MAX_K = 100;
    private static final int MAX_FILTERS = 16;
    private static final Pattern FILTER_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final HybridSearch search;
    private final QueryCaches caches;
    private final TwoLevelCache<SearchPage> pages;
    private final SearchMetrics metrics;

    SearchController(HybridSearch search, QueryCaches caches, SearchMetrics metrics) {
        this.search = search;
        this.caches = caches;
        this.metrics = metrics;
        // Answers missing a retrieval are not cached: the next request may get the whole answer.
        this.pages = caches.create("search", CacheCodec.smile(SearchPage.class),
                page -> page.degraded().isEmpty() ? caches.properties().searchTtl() : Duration.ZERO);
    }

    @GetMapping("/api/v1/search")
    SearchResponse search(ApiKeyPrincipal principal, @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "10") int k, @RequestParam(defaultValue = "hybrid") String mode,
            @RequestParam(name = "filter", required = false) List<String> filter,
            @RequestParam(required = false) String cursor) {
        long started = System.nanoTime();
        String query = SearchRequests.normalizeQuery(requireQuery(q));
        if (k < 1 || k > MAX_K) {
            throw ProblemException.invalidRequest("Parameter 'k' must be between 1 and " + MAX_K + ".");
        }
        SearchMode searchMode = SearchMode.parse(mode);
        Map<String, String> filters = filters(filter);
        String tenant = principal.tenant();
        String fingerprint = SearchCursor.fingerprint(tenant, query, searchMode, k, filters);
        int offset = SearchCursor.decode(cursor, fingerprint, search.candidates(k));

        QueryCaches.Generation generation = caches.generation(tenant);
        String key = caches.searchKey(tenant, generation,
                SearchRequests.normalize(searchMode, k, filters, offset, query));
        TwoLevelCache.Result<SearchPage> page = pages.get(key, tenant, generation.value(), generation.shared(),
                () -> page(tenant, query, searchMode, k, filters, offset, fingerprint));
        List<String> degraded = new ArrayList<>(page.value().degraded());
        if (!generation.shared() || page.redisFailed()) {
            degraded.add(QueryCaches.DEGRADED);
        }
        long tookNanos = System.nanoTime() - started;
        metrics.answered(searchMode, layer(page.layer()), degraded, tookNanos);
        return new SearchResponse(page.value().results(), searchMode.value(), layer(page.layer()),
                List.copyOf(degraded), tookNanos / 1_000_000, page.value().nextCursor());
    }

    private SearchPage page(String tenant, String query, SearchMode searchMode, int k, Map<String, String> filters,
            int offset, String fingerprint) {
        HybridSearch.Ranking ranking = search.rank(tenant, query, searchMode, k, filters);
        List<HybridSearch.RankedDocument> documents = ranking.documents();
        List<SearchResult> results = documents.subList(Math.min(offset, documents.size()),
                        Math.min(offset + k, documents.size())).stream()
                .map(document -> new SearchResult(document.hit().documentId(), document.hit().title(),
                        Snippets.of(document.hit().text(), document.hit().title(), query), document.score(),
                        document.hit().version()))
                .toList();
        String nextCursor = documents.size() > offset + k ? SearchCursor.encode(offset + k, fingerprint) : null;
        return new SearchPage(results, nextCursor, ranking.degraded());
    }

    private static String layer(TwoLevelCache.Layer layer) {
        return switch (layer) {
            case L1 -> "l1";
            case L2 -> "l2";
            case ORIGIN -> "miss";
        };
    }

    private static String requireQuery(String q) {
        if (q == null || q.isBlank()) {
            throw ProblemException.invalidRequest("Parameter 'q' is required.");
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw ProblemException.invalidRequest("Parameter 'q' must be at most " + MAX_QUERY_LENGTH + " characters.");
        }
        return q.strip();
    }

    private static Map<String, String> filters(List<String> filter) {
        if (filter == null || filter.isEmpty()) {
            return Map.of();
        }
        if (filter.size() > MAX_FILTERS) {
            throw ProblemException.invalidRequest("At most " + MAX_FILTERS + " filters are allowed.");
        }
        Map<String, String> filters = new LinkedHashMap<>();
        for (String entry : filter) {
            int colon = entry.indexOf(':');
            String key = colon < 0 ? entry : entry.substring(0, colon);
            if (colon < 0 || !FILTER_KEY.matcher(key).matches() || colon == entry.length() - 1) {
                throw ProblemException.invalidRequest("Parameter 'filter' must look like key:value, with a key of 1 "
                        + "to 64 characters from [A-Za-z0-9_.-].");
            }
            String value = entry.substring(colon + 1);
            String previous = filters.putIfAbsent(key, value);
            if (previous != null && !previous.equals(value)) {
                throw ProblemException.invalidRequest("Filter key '" + key + "' is given twice with different values; "
                        + "no document can match both.");
            }
        }
        return filters;
    }
}
