package io.docstream.query.search;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.TwoLevelCache;
import io.docstream.platform.tenancy.ApiKeyPrincipal;
import io.docstream.platform.web.ProblemException;
import io.docstream.query.cache.QueryCaches;
import io.docstream.search.IndexTargets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/search}: the tenant is the key's, the page is the cursor's; a hybrid search fuses as the
 * request's {@code fusion} says, else as configured. Pages are cached under the
 * tenant's search generation, read from Redis first, so a change that is reported indexed is never hidden
 * by a cached page; {@code cache} says which layer answered ({@code l1}, {@code l2} or {@code miss}).
 */
@RestController
class SearchController {

    private static final Logger log = LoggerFactory.getLogger(SearchController.class);

    static final int MAX_K = 100;

    private final HybridSearch search;
    private final QueryCaches caches;
    private final TwoLevelCache<SearchPage> pages;
    private final SearchMetrics metrics;
    private final SearchProperties.FusionMethod defaultFusion;
    private final Runnable beforeMiss;

    SearchController(HybridSearch search, QueryCaches caches, SearchMetrics metrics, SearchProperties properties,
            IndexTargets targets) {
        this.search = search;
        // A read-only follower (query API in its own process beside a Lucene indexer) sees new commits only on
        // refresh; the generation that made this a miss moved after the indexer committed, so refreshing first
        // keeps a page computed now from hiding that change for the whole TTL.
        // When it cannot refresh (no index yet), the retrievals fail and say so as usual.
        this.beforeMiss = !targets.followsAnotherWriter() ? () -> { } : () -> {
            try {
                targets.refresh();
            } catch (RuntimeException e) {
                log.debug("could not refresh the followed index before a search: {}", e.toString());
            }
        };
        this.defaultFusion = properties.fusion();
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
            @RequestParam(required = false) String cursor, @RequestParam(required = false) String fusion) {
        long started = System.nanoTime();
        String query = SearchRequests.normalizeQuery(SearchRequests.query(q));
        if (k < 1 || k > MAX_K) {
            throw ProblemException.invalidRequest("Parameter 'k' must be between 1 and " + MAX_K + ".");
        }
        SearchMode searchMode = SearchMode.parse(mode);
        SearchProperties.FusionMethod fusionMethod = fusion(fusion, searchMode);
        Map<String, String> filters = SearchRequests.filters(filter);
        String tenant = principal.tenant();
        String fingerprint = SearchCursor.fingerprint(tenant, query, searchMode, fusionMethod, k, filters);
        int offset = SearchCursor.decode(cursor, fingerprint, search.candidates(k));

        QueryCaches.Generation generation = caches.generation(tenant);
        String key = caches.searchKey(tenant, generation,
                SearchRequests.normalize(searchMode, fusionMethod, k, filters, offset, query));
        TwoLevelCache.Result<SearchPage> page = pages.get(key, tenant, generation.value(), generation.shared(),
                () -> page(tenant, query, searchMode, fusionMethod, k, filters, offset, fingerprint));
        List<String> degraded = new ArrayList<>(page.value().degraded());
        if (!generation.shared() || page.redisFailed()) {
            degraded.add(QueryCaches.DEGRADED);
        }
        long tookNanos = System.nanoTime() - started;
        metrics.answered(searchMode, layer(page.layer()), degraded, tookNanos);
        return new SearchResponse(page.value().results(), searchMode.value(), layer(page.layer()),
                List.copyOf(degraded), tookNanos / 1_000_000, page.value().nextCursor());
    }

    private SearchPage page(String tenant, String query, SearchMode searchMode, SearchProperties.FusionMethod fusion,
            int k, Map<String, String> filters, int offset, String fingerprint) {
        beforeMiss.run();
        HybridSearch.Ranking ranking = search.rank(tenant, query, searchMode, fusion, k, filters);
        List<RankedDocument> documents = ranking.documents();
        List<RankedDocument> pageDocuments = search.withSnippetChunks(tenant, query, searchMode,
                documents.subList(Math.min(offset, documents.size()), Math.min(offset + k, documents.size())), filters);
        List<SearchResult> results = pageDocuments.stream()
                .map(document -> new SearchResult(document.documentId(), document.title(),
                        document.chunk() == null ? "" : Snippets.of(document.chunk().text(), document.title(), query),
                        document.score(), document.version()))
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

    /** The fusion a hybrid search uses (the request's, else the configured one); null for the other modes. */
    private SearchProperties.FusionMethod fusion(String requested, SearchMode mode) {
        SearchProperties.FusionMethod fusion = requested == null ? defaultFusion
                : SearchProperties.FusionMethod.parse(requested);
        return mode == SearchMode.HYBRID ? fusion : null;
    }
}
