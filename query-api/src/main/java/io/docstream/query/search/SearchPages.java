package io.docstream.query.search;

import io.docstream.cache.CacheCodec;
import io.docstream.cache.TwoLevelCache;
import io.docstream.query.cache.CacheProperties;
import io.docstream.query.cache.QueryCaches;
import io.docstream.search.IndexTargets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A page of search results for a request, from the caches when they hold it, else ranked and stored with the
 * tenant generation it was computed under and what it was computed from ({@link PageDependencies}). Both the search
 * API and the warming of hot searches ask here, so a warmed page is exactly the page a reader gets.
 *
 * <p>A cached page computed at an older generation than the tenant's current one is served only when it is proven
 * to hold (selective invalidation): the documents changed since are known (the tenant's change history is complete
 * between the two generations), the page is younger than {@code docstream.cache.search-max-age}, and re-ranking
 * the page's own candidate lists with the changed documents' new scores (the index scores just those documents for
 * the query) puts the same documents on the page and keeps (or lacks) the next cursor; the page then shows them in
 * their new order, a changed one as it is now (title, version, snippet). Otherwise the page is recomputed. Documents that were no candidate and still are none cannot
 * move the page; what the rule does not follow is the drift of corpus statistics for the other candidates, which the
 * maximum age bounds.
 */
final class SearchPages {

    private static final Logger log = LoggerFactory.getLogger(SearchPages.class);
    static final String BYPASS = "bypass";
    static final String KEPT = "kept";
    static final String PATCHED = "patched";

    private final HybridSearch search;
    private final QueryCaches caches;
    private final TwoLevelCache<SearchPage> pages;
    private final Runnable beforeMiss;
    private final Clock clock;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final DistributionSummary dependencyBytes;
    private final Timer revalidationTime;

    SearchPages(HybridSearch search, QueryCaches caches, IndexTargets targets, MeterRegistry meters, Clock clock) {
        this.search = Objects.requireNonNull(search, "search");
        this.caches = Objects.requireNonNull(caches, "caches");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revalidationTime = Timer.builder("docstream.cache.search.revalidation")
                .description("Judging a cached search page at a later tenant generation (rescoring included)")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.dependencyBytes = DistributionSummary.builder("docstream.cache.search.dependencies")
                .description("Bytes each cached search page's dependencies hold (candidate lists; shared ids excluded)")
                .baseUnit("bytes")
                .register(meters);
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

    /**
     * The page this process holds in L1 for the request at the tenant's generation as the invalidation stream moved
     * it, without any I/O; null when it holds none that is current as it is, or the tenant's generation is not
     * followed from the stream (then {@link #answer} decides, reading Redis or the index as needed).
     */
    SearchPage cached(Request request) {
        if (!caches.followed(request.tenant())) {
            return null;
        }
        return pages.fromL1(key(request), caches.knownGeneration(request.tenant()));
    }

    private String key(Request request) {
        return caches.searchKey(request.tenant(), SearchRequests.normalize(request.mode(),
                request.fusion(), request.k(), request.filters(), request.offset(), request.query()));
    }

    Answer answer(Request request) {
        QueryCaches.Generation generation = caches.generation(request.tenant());
        String key = key(request);
        TwoLevelCache.Result<SearchPage> page = pages.get(key, request.tenant(), generation.value(),
                generation.shared(), () -> rank(request, OptionalLong.of(generation.value())), revalidation(request));
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
        SearchPage page = rank(request, OptionalLong.empty());
        return new Answer(page, BYPASS, page.degraded());
    }

    private TwoLevelCache.Revalidation<SearchPage> revalidation(Request request) {
        return new TwoLevelCache.Revalidation<>() {

            @Override
            public long generation(SearchPage page) {
                return page.dependencies() == null ? 0 : page.dependencies().generation();
            }

            @Override
            public SearchPage revalidate(SearchPage page, long generation) {
                long started = System.nanoTime();
                Proof proof = prove(request, page, generation);
                count(proof.outcome());
                revalidationTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                return proof.page();
            }
        };
    }

    /** Whether a page holds at a later generation: the outcome, and the page to serve (null: recompute it). */
    private record Proof(String outcome, SearchPage page) {

        static Proof dropped(String outcome) {
            return new Proof(outcome, null);
        }
    }

    /**
     * Proves the page at {@code generation}: {@code kept} (the page, bound to the generation, standing on its
     * re-ranked candidates with their fused scores), {@code patched} (the same, its documents in their new order and
     * changed ones showing their new title, version and snippet), or why not: {@code generation} (every change drops
     * pages), {@code unproven} (the changes since are not all known), {@code expired} or {@code moved} (other
     * documents would be on the page, or the next cursor would come or go).
     */
    private Proof prove(Request request, SearchPage page, long generation) {
        PageDependencies dependencies = page.dependencies();
        if (dependencies == null
                || caches.searchInvalidation(request.tenant()) == CacheProperties.SearchInvalidation.GENERATION) {
            return Proof.dropped("generation");
        }
        Optional<Set<String>> changed = caches.changedDocuments(request.tenant(), dependencies.generation(),
                generation);
        if (changed.isEmpty()) {
            return Proof.dropped("unproven");
        }
        if (changed.get().isEmpty()) {
            return new Proof(KEPT, new SearchPage(page.results(), page.nextCursor(), page.degraded(),
                    dependencies.at(generation, dependencies.keyword(), dependencies.dense())));
        }
        if (clock.millis() - dependencies.computedAtMillis() > caches.properties().searchMaxAge().toMillis()) {
            return Proof.dropped("expired");
        }
        Reranked reranked = rerank(request, dependencies, changed.get());
        List<ScoredId> shown = reranked == null ? null : sameDocuments(request, page, reranked.fused());
        if (shown == null) {
            return Proof.dropped("moved");
        }
        Map<String, SearchResult> before = new HashMap<>();
        page.results().forEach(result -> before.put(result.id(), result));
        List<SearchResult> results = new ArrayList<>(shown.size());
        List<RankedDocument> changedOnPage = new ArrayList<>();
        boolean reordered = false;
        for (int i = 0; i < shown.size(); i++) {
            SearchResult result = before.get(shown.get(i).id());
            reordered |= !result.id().equals(page.results().get(i).id());
            results.add(new SearchResult(result.id(), result.title(), result.snippet(), shown.get(i).score(),
                    result.version()));
            if (changed.get().contains(result.id())) {
                RankedDocument now = reranked.documents().get(result.id());
                if (now == null) {
                    return Proof.dropped("moved");
                }
                changedOnPage.add(now.withScore(shown.get(i).score()));
            }
        }
        if (!changedOnPage.isEmpty() && !patch(request, results, changedOnPage)) {
            return Proof.dropped("moved");
        }
        return new Proof(changedOnPage.isEmpty() && !reordered ? KEPT : PATCHED, new SearchPage(results,
                page.nextCursor(), page.degraded(), dependencies.at(generation, reranked.keyword(), reranked.dense())));
    }

    /**
     * The page's slice of the re-ranked candidates when it holds the same documents as the page (in any order) and
     * there is a next page exactly when there was one; else null.
     */
    private static List<ScoredId> sameDocuments(Request request, SearchPage page, List<ScoredId> fused) {
        int offset = Math.min(request.offset(), fused.size());
        List<ScoredId> shown = fused.subList(offset, Math.min(offset + request.k(), fused.size()));
        if (shown.size() != page.results().size()
                || (fused.size() > request.offset() + request.k()) != (page.nextCursor() != null)) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        page.results().forEach(result -> ids.add(result.id()));
        return shown.stream().allMatch(scored -> ids.contains(scored.id())) ? shown : null;
    }

    /**
     * Replaces the results of changed documents that keep their places with what they show now: title, version and
     * a snippet picked afresh, as a new evaluation would; false when the snippets cannot be picked.
     */
    private boolean patch(Request request, List<SearchResult> results, List<RankedDocument> changedOnPage) {
        List<RankedDocument> withChunks;
        try {
            withChunks = search.withSnippetChunks(request.tenant(), request.query(), request.mode(), changedOnPage,
                    request.filters());
        } catch (RuntimeException e) {
            return false;
        }
        for (RankedDocument document : withChunks) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).id().equals(document.documentId())) {
                    results.set(i, result(document, request.query()));
                }
            }
        }
        return true;
    }

    private static SearchResult result(RankedDocument document, String query) {
        return new SearchResult(document.documentId(), document.title(),
                document.chunk() == null ? "" : Snippets.of(document.chunk().text(), document.title(), query),
                document.score(), document.version());
    }

    /**
     * The page's candidate lists and fused ranking after the changed documents took their new scores, and those
     * documents as they would stand on a page.
     */
    private record Reranked(PageDependencies.CandidateList keyword, PageDependencies.CandidateList dense,
            List<ScoredId> fused, Map<String, RankedDocument> documents) {
    }

    /**
     * Re-ranks the page's candidates with the changed documents rescored by the index for the page's query and
     * filters; null when the rescoring fails (which proves nothing). The keyword side rescores every keyword candidate
     * too, in the same call confined to them: Lucene's BM25 statistics (document count, average length, document
     * frequencies) count a replaced version until its segment merges, so every change moves every candidate's score
     * a little, and near-ties at the page's edge would otherwise come out in a stale order. Cosines do not move.
     */
    private Reranked rerank(Request request, PageDependencies dependencies, Set<String> changed) {
        Set<String> keywordIds = new HashSet<>(changed);
        if (dependencies.keyword() != null) {
            keywordIds.addAll(Arrays.asList(dependencies.keyword().ids()));
        }
        HybridSearch.Rescored keywordNow = null;
        HybridSearch.Rescored denseNow = null;
        try {
            beforeMiss.run();
            if (dependencies.keyword() != null) {
                keywordNow = search.rescoreKeyword(request.tenant(), request.query(), request.filters(), keywordIds);
            }
            if (dependencies.dense() != null) {
                denseNow = search.rescoreDense(request.tenant(), request.query(), request.filters(), changed,
                        dependencies.spread());
            }
        } catch (RuntimeException e) {
            log.debug("could not rescore changed documents for a cached page: {}", e.toString());
            return null;
        }
        Map<String, RankedDocument> documents = new HashMap<>();
        PageDependencies.CandidateList keyword = null;
        if (keywordNow != null) {
            documents.putAll(keywordNow.documents());
            keyword = dependencies.keyword().replaced(keywordIds, keywordNow.scores(), keywordNow.documents(),
                    dependencies.depth());
        }
        PageDependencies.CandidateList dense = null;
        if (denseNow != null) {
            // The dense entry brings the document's best chunk, which a snippet may come from.
            documents.putAll(denseNow.documents());
            dense = dependencies.dense().replaced(changed, denseNow.scores(), denseNow.documents(), dependencies.depth());
        }
        List<ScoredId> fused = search.fused(dense == null ? null : dense.scored(),
                keyword == null ? null : keyword.scored(), request.fusion());
        documents.keySet().retainAll(changed);
        return fused == null ? null : new Reranked(keyword, dense, fused, documents);
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, name -> Counter.builder("docstream.cache.search.revalidations")
                .description("Cached search pages from an older tenant generation, by whether they were proven to hold")
                .tag("outcome", name)
                .register(meters)).increment();
    }

    /**
     * The page ranked now; with the {@code generation} it is to be cached under, it carries its dependencies (a page
     * that is never cached, or misses a retrieval, does not).
     */
    private SearchPage rank(Request request, OptionalLong generation) {
        Ranked ranked = ranked(request);
        HybridSearch.Ranking ranking = ranked.ranking();
        if (generation.isEmpty() || ranking.candidates() == null || !ranking.degraded().isEmpty()) {
            return ranked.page();
        }
        PageDependencies dependencies = PageDependencies.of(generation.getAsLong(), clock.millis(),
                ranking.candidates());
        dependencyBytes.record(dependencies.retainedBytes());
        return new SearchPage(ranked.page().results(), ranked.page().nextCursor(), ranking.degraded(), dependencies);
    }

    /**
     * The page evaluated now with why each result scored what it did ({@code explain=true}); like {@link #fresh}, past
     * every cache and never stored, so an explained answer is never served for a plain request or the other way round.
     */
    Explained explained(Request request) {
        Ranked ranked = ranked(request);
        return new Explained(new Answer(ranked.page(), BYPASS, ranked.page().degraded()),
                search.explain(ranked.ranking(), request.mode(), request.fusion(), ranked.documents()));
    }

    /** An answer and the explanation of its results. */
    record Explained(Answer answer, SearchExplanation.Explained explanation) {
    }

    /** A ranking, the page's documents (with their snippet chunks) and the page without dependencies. */
    private record Ranked(HybridSearch.Ranking ranking, List<RankedDocument> documents, SearchPage page) {
    }

    private Ranked ranked(Request request) {
        beforeMiss.run();
        HybridSearch.Ranking ranking = search.rank(request.tenant(), request.query(), request.mode(),
                request.fusion(), request.k(), request.filters());
        List<RankedDocument> documents = ranking.documents();
        int offset = request.offset();
        int end = Math.min(offset + request.k(), documents.size());
        List<RankedDocument> pageDocuments = search.withSnippetChunks(request.tenant(), request.query(),
                request.mode(), documents.subList(Math.min(offset, documents.size()), end), request.filters());
        List<SearchResult> results = pageDocuments.stream().map(document -> result(document, request.query()))
                .toList();
        String nextCursor = documents.size() > offset + request.k()
                ? SearchCursor.encode(offset + request.k(), request.fingerprint()) : null;
        return new Ranked(ranking, pageDocuments, new SearchPage(results, nextCursor, ranking.degraded()));
    }

    private static String layer(TwoLevelCache.Layer layer) {
        return switch (layer) {
            case L1 -> "l1";
            case L2 -> "l2";
            case ORIGIN -> "miss";
        };
    }
}
