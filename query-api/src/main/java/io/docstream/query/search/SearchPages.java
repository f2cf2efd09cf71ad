package io.docstream.query.search;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.TwoLevelCache;
import io.docstream.query.cache.QueryCaches;
import io.docstream.search.IndexTargets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A page of search results for a request, from the caches when they hold it, else ranked and stored under the
 * tenant's search generation. Both the search API and the warming of hot searches ask here, so a warmed page is
 * exactly the page a reader gets.
 */
final class SearchPages {

    private static final Logger log = LoggerFactory.getLogger(SearchPages.class);
    static final String BYPASS = "bypass";

    private final HybridSearch search;
    private final QueryCaches caches;
    private final TwoLevelCache<SearchPage> pages;
    private final Runnable beforeMiss;

    SearchPages(HybridSearch search, QueryCaches caches, IndexTargets targets) {
        this.search = Objects.requireNonNull(search, "search");
        this.caches = Objects.requireNonNull(caches, "caches");
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
        // Answers missing a retrieval are not cached: the next request may get the whole answer.
        this.pages = caches.create("search", CacheCodec.smile(SearchPage.class),
                page -> page.degraded().isEmpty() ? caches.properties().searchTtl() : Duration.ZERO);
    }

    /** What a search asks for: the normalised query and everything else that makes the page what it is. */
    record Request(String tenant, String query, SearchMode mode, SearchProperties.FusionMethod fusion, int k,
            Map<String, String> filters, int offset) {

        String fingerprint() {
            return SearchCursor.fingerprint(tenant, query, mode, fusion, k, filters);
        }
    }

    /**
     * A page and how it was answered: the cache layer ({@code l1}, {@code l2}, {@code miss}, or {@code bypass} for a
     * fresh evaluation the caller asked for) and what degraded.
     */
    record Answer(SearchPage page, String layer, List<String> degraded) {
    }

    int candidates(int k) {
        return search.candidates(k);
    }

    Answer answer(Request request) {
        QueryCaches.Generation generation = caches.generation(request.tenant());
        String key = caches.searchKey(request.tenant(), generation, SearchRequests.normalize(request.mode(),
                request.fusion(), request.k(), request.filters(), request.offset(), request.query()));
        TwoLevelCache.Result<SearchPage> page = pages.get(key, request.tenant(), generation.value(),
                generation.shared(), () -> rank(request));
        List<String> degraded = new ArrayList<>(page.value().degraded());
        if (!generation.shared() || page.redisFailed()) {
            degraded.add(QueryCaches.DEGRADED);
        }
        return new Answer(page.value(), layer(page.layer()), List.copyOf(degraded));
    }

    /**
     * The page evaluated now, past every cache and never stored: what a client asking {@code Cache-Control:
     * no-cache} gets, and what a cached answer can be checked against.
     */
    Answer fresh(Request request) {
        SearchPage page = rank(request);
        return new Answer(page, BYPASS, page.degraded());
    }

    private SearchPage rank(Request request) {
        beforeMiss.run();
        HybridSearch.Ranking ranking = search.rank(request.tenant(), request.query(), request.mode(),
                request.fusion(), request.k(), request.filters());
        List<RankedDocument> documents = ranking.documents();
        int offset = request.offset();
        int end = Math.min(offset + request.k(), documents.size());
        List<RankedDocument> pageDocuments = search.withSnippetChunks(request.tenant(), request.query(),
                request.mode(), documents.subList(Math.min(offset, documents.size()), end), request.filters());
        List<SearchResult> results = pageDocuments.stream()
                .map(document -> new SearchResult(document.documentId(), document.title(),
                        document.chunk() == null ? ""
                                : Snippets.of(document.chunk().text(), document.title(), request.query()),
                        document.score(), document.version()))
                .toList();
        String nextCursor = documents.size() > offset + request.k()
                ? SearchCursor.encode(offset + request.k(), request.fingerprint()) : null;
        return new SearchPage(results, nextCursor, ranking.degraded());
    }

    private static String layer(TwoLevelCache.Layer layer) {
        return switch (layer) {
            case L1 -> "l1";
            case L2 -> "l2";
            case ORIGIN -> "miss";
        };
    }
}
