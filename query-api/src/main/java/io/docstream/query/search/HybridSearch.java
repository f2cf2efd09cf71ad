package io.docstream.query.search;

import io.docstream.embedding.Embedder;
import io.docstream.platform.errors.TemporarilyUnavailableException;
import io.docstream.platform.resilience.RemoteCall;
import io.docstream.platform.resilience.RemoteCalls;
import io.docstream.platform.tracing.Traces;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.SearchIndex;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs the retrievals a mode asks for, scores documents from them and, for hybrid search, fuses the two
 * document rankings: keyword retrieval is BM25 over whole documents, dense retrieval ranks chunks and
 * {@link DocumentRanking} scores each document from its best chunk. In hybrid mode a failed or slow retrieval
 * degrades the answer to the other one (and says so) instead of failing it; in semantic mode a query that
 * cannot be embedded is answered by keyword retrieval, flagged {@code semantic}. Dense retrievals run on a
 * bounded pool; when it and its queue are full the request thread runs them itself. Every call into the index
 * passes a circuit breaker; when no retrieval can answer, the answer comes from PostgreSQL's full-text search,
 * flagged {@code index}. The chunks that give a page its snippets are picked for that page only.
 */
final class HybridSearch implements AutoCloseable {

    static final String SEMANTIC = "semantic";
    static final String KEYWORD = "keyword";
    /** Flag of an answer PostgreSQL's full-text search gave because the search index could not answer. */
    static final String INDEX = "index";

    private static final Logger log = LoggerFactory.getLogger(HybridSearch.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final AttributeKey<Long> CANDIDATES = AttributeKey.longKey("docstream.candidates");
    private static final AttributeKey<Long> HITS = AttributeKey.longKey("docstream.hits");
    private static final AttributeKey<String> FUSION = AttributeKey.stringKey("docstream.fusion");
    private static final AttributeKey<Long> RESULTS = AttributeKey.longKey("docstream.results");
    /** Most chunks asked for when rescoring named documents. */
    private static final int RESCORED_CHUNKS = 10_000;
    private static final int RESCORED_CHUNKS_PER_DOCUMENT = 16;

    private final Embedder embedder;
    private final SearchIndex index;
    private final ExecutorService executor;
    private final SearchProperties properties;
    private final FullTextFallback fallback;
    private final RemoteCall indexCalls;

    HybridSearch(Embedder embedder, SearchIndex index, SearchProperties properties) {
        this(embedder, index, properties, null,
                RemoteCalls.withDefaults().call(RemoteCalls.SEARCH_INDEX, SearchConfiguration::indexFailure));
    }

    /**
     * @param fallback answers from PostgreSQL when the index cannot answer at all (null: answer 503 then)
     * @param indexCalls guards every call into the index (bulkhead, breaker): once its breaker opens, searches go
     *     to the fallback at once
     *        instead of waiting for a failing index each time
     */
    HybridSearch(Embedder embedder, SearchIndex index, SearchProperties properties, FullTextFallback fallback,
            RemoteCall indexCalls) {
        this.embedder = embedder;
        this.index = index;
        this.properties = properties;
        this.fallback = fallback;
        this.indexCalls = indexCalls;
        // Tasks carry the caller's trace context (the agent does this too; without it, tests still see one trace).
        this.executor = Context.taskWrapping(new ThreadPoolExecutor(properties.parallelism(),
                properties.parallelism(), 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(properties.parallelism() * 4),
                new CustomizableThreadFactory("search-"), new ThreadPoolExecutor.CallerRunsPolicy()));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The whole ranking a query has within the candidate window, best first, fused as configured. */
    Ranking rank(String tenant, String query, SearchMode mode, int k, Map<String, String> filters) {
        return rank(tenant, query, mode, properties.fusion(), k, filters);
    }

    /** As above with the given fusion for hybrid search (null: the configured one); other modes ignore it. */
    Ranking rank(String tenant, String query, SearchMode mode, SearchProperties.FusionMethod fusion, int k,
            Map<String, String> filters) {
        IndexQuery documents = new IndexQuery(tenant, candidates(k), filters);
        try {
            return switch (mode) {
                case SEMANTIC -> semantic(documents, query);
                case KEYWORD -> {
                    List<RankedDocument> keyword = retrieve(KEYWORD, () -> keyword(documents, query));
                    yield new Ranking(keyword, List.of(), new Candidates(keyword, null, 0,
                            documents.k()));
                }
                case HYBRID -> hybrid(documents, query, fusion == null ? properties.fusion() : fusion);
            };
        } catch (SearchUnavailableException unavailable) {
            if (fallback == null) {
                throw unavailable.toDomain();
            }
            return fullText(documents, query, unavailable);
        }
    }

    /**
     * The page's documents with the chunks their snippets come from. Semantic answers keep the best dense chunk;
     * keyword and hybrid answers take the chunk that holds the query's words best, or (when no chunk holds any)
     * the best dense chunk, or the first chunk. Picking is one index call for the page; when it fails the page
     * keeps the chunks it has (a document without one shows no snippet).
     */
    List<RankedDocument> withSnippetChunks(String tenant, String query, SearchMode mode, List<RankedDocument> page,
            Map<String, String> filters) {
        boolean allHaveChunks = page.stream().allMatch(document -> document.chunk() != null);
        if (page.isEmpty() || (mode == SearchMode.SEMANTIC && allHaveChunks) || fromFullText(page)) {
            return page;
        }
        Map<String, IndexHit> best;
        try {
            IndexQuery indexQuery = new IndexQuery(tenant, page.size(), filters);
            List<String> ids = page.stream().map(RankedDocument::documentId).toList();
            best = tracedPicking("pick snippets", indexQuery,
                    () -> indexCalls.callIdempotent(() -> index.bestChunks(indexQuery, ids, query)));
        } catch (RuntimeException e) {
            log.warn("snippet chunks could not be picked, answering with the chunks at hand: {}", e.toString());
            return page;
        }
        return page.stream().map(document -> {
            IndexHit keywordChunk = best.get(document.documentId());
            boolean holdsQueryWords = keywordChunk != null && keywordChunk.score() > 0;
            if (holdsQueryWords || document.chunk() == null) {
                return keywordChunk == null ? document : document.withChunk(keywordChunk);
            }
            return document;
        }).toList();
    }

    /** Full-text answers carry the document's body as their chunk already. */
    private static boolean fromFullText(List<RankedDocument> page) {
        return page.stream().allMatch(document -> document.chunk() != null
                && document.chunk().chunkIndex() == FullTextFallback.BODY_CHUNK);
    }

    /** PostgreSQL's keyword answer, flagged {@code index}; when PostgreSQL fails too, the index's 503 stands. */
    private Ranking fullText(IndexQuery indexQuery, String query, SearchUnavailableException unavailable) {
        try {
            List<RankedDocument> documents = traced("retrieve full-text", indexQuery,
                    () -> fallback.search(indexQuery, query));
            return new Ranking(documents, List.of(INDEX));
        } catch (RuntimeException e) {
            log.warn("the full-text fallback failed too: {}", e.toString());
            TemporarilyUnavailableException indexDown = unavailable.toDomain();
            indexDown.addSuppressed(e);
            throw indexDown;
        }
    }

    /**
     * Dense retrieval; when the query cannot be embedded (the embedding service is down) the index is still
     * there, so keyword retrieval answers, flagged {@code semantic} as in hybrid mode.
     */
    private Ranking semantic(IndexQuery documents, String query) {
        float[] vector;
        try {
            vector = embedder.embedQuery(query);
        } catch (RuntimeException e) {
            log.warn("the query could not be embedded, answering from keyword retrieval only: {}", e.toString());
            return new Ranking(retrieve(KEYWORD, () -> keyword(documents, query)), List.of(SEMANTIC));
        }
        Dense dense = retrieve(SEMANTIC, () -> dense(documents, vector));
        return new Ranking(dense.documents(), List.of(), new Candidates(null, dense.documents(),
                dense.spread(), documents.k()));
    }

    /** Why the page's documents, taken from {@code ranking}, scored what they did ({@code explain=true}). */
    SearchExplanation.Explained explain(Ranking ranking, SearchMode mode, SearchProperties.FusionMethod fusion,
            List<RankedDocument> page) {
        return SearchExplanation.of(ranking, mode, fusion == null ? properties.fusion() : fusion, properties, page);
    }

    /** Documents each retrieval ranks: the window a cursor pages through. */
    int candidates(int k) {
        return Math.max(k, properties.minCandidates());
    }

    private Ranking hybrid(IndexQuery documents, String query, SearchProperties.FusionMethod fusion) {
        CompletableFuture<Dense> dense = CompletableFuture.supplyAsync(
                () -> dense(documents, embedder.embedQuery(query)), executor);
        List<RankedDocument> keyword = null;
        List<String> degraded = new ArrayList<>();
        try {
            keyword = keyword(documents, query);
        } catch (RuntimeException e) {
            log.warn("keyword retrieval failed, answering from dense retrieval only: {}", e.toString());
            degraded.add(KEYWORD);
        }
        Dense semantic = null;
        try {
            semantic = dense.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            dense.cancel(true);
            log.warn("dense retrieval failed, answering from keyword retrieval only: {}", e.toString());
            degraded.add(SEMANTIC);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchUnavailableException(e);
        }
        if (semantic == null && keyword == null) {
            throw new SearchUnavailableException(null);
        }
        if (semantic == null || keyword == null) {
            return new Ranking(semantic != null ? semantic.documents() : keyword, List.copyOf(degraded));
        }
        Ranking fused = fuse(semantic.documents(), keyword, fusion);
        return new Ranking(fused.documents(), fused.degraded(), new Candidates(keyword,
                semantic.documents(), semantic.spread(), documents.k()));
    }

    private Ranking fuse(List<RankedDocument> dense, List<RankedDocument> keyword,
            SearchProperties.FusionMethod fusion) {
        return Traces.inSpan("fuse", Attributes.of(FUSION, fusion.name().toLowerCase(Locale.ROOT)), span -> {
            Ranking ranking = fuseUntraced(dense, keyword, fusion);
            span.setAttribute(RESULTS, (long) ranking.documents().size());
            return ranking;
        });
    }

    /** The two document rankings fused, each document scored as fused (package-private for tests). */
    Ranking fuseUntraced(List<RankedDocument> dense, List<RankedDocument> keyword,
            SearchProperties.FusionMethod fusion) {
        List<ScoredId> fused = fused(DocumentRanking.scored(dense), DocumentRanking.scored(keyword), fusion);
        // The dense entry of a document brings its best chunk; the keyword entry has none yet.
        Map<String, RankedDocument> byId = new HashMap<>();
        keyword.forEach(document -> byId.put(document.documentId(), document));
        dense.forEach(document -> byId.put(document.documentId(), document));
        List<RankedDocument> documents = fused.stream()
                .map(scoredId -> byId.get(scoredId.id()).withScore(scoredId.score()))
                .toList();
        return new Ranking(documents, List.of());
    }

    /**
     * One fused ranking of scored candidate lists, as configured ({@code fusion} null: the configured method); a
     * mode with one retrieval passes null for the other and gets its list back.
     */
    List<ScoredId> fused(List<ScoredId> dense, List<ScoredId> keyword, SearchProperties.FusionMethod fusion) {
        if (dense == null || keyword == null) {
            return dense != null ? dense : keyword;
        }
        return switch (fusion == null ? properties.fusion() : fusion) {
            case RRF -> Fusion.rrf(List.of(ScoredId.ids(dense), ScoredId.ids(keyword)), properties.rrfRankConstant());
            case WEIGHTED -> Fusion.weighted(List.of(dense, keyword),
                    List.of(properties.semanticWeight(), properties.keywordWeight()), properties.normalisation());
        };
    }

    /**
     * The BM25 scores the named documents get now, as a whole keyword retrieval would give them; a document it does
     * not find (deleted, filtered out, no query term) is absent. Each found document also comes back as it would stand
     * on a page (title, version). A cached page asks this for its keyword candidates and the documents changed since.
     */
    Rescored rescoreKeyword(String tenant, String query, Map<String, String> filters, Set<String> documentIds) {
        IndexQuery named = new IndexQuery(tenant, documentIds.size(), filters, documentIds);
        Map<String, Double> scores = new HashMap<>();
        Map<String, RankedDocument> documents = new HashMap<>();
        for (DocumentHit hit : indexCalls.callIdempotent(() -> index.searchKeyword(named, query))) {
            scores.put(hit.documentId(), (double) hit.score());
            documents.put(hit.documentId(), new RankedDocument(hit.documentId(), hit.title(), hit.version(), 0, null));
        }
        return new Rescored(scores, documents);
    }

    /**
     * The dense scores the named documents get now (best chunk less the length prior scaled by the page's
     * {@code spread}); a document it does not find (deleted, filtered out) is absent. Each found document also comes
     * back as it would stand on a page (title, version, best chunk). A cached page asks this for the documents changed
     * since it was computed.
     */
    Rescored rescoreDense(String tenant, String query, Map<String, String> filters, Set<String> documentIds,
            double spread) {
        float[] vector = embedder.embedQuery(query);
        List<IndexHit> hits = new ArrayList<>(bestChunks(tenant, filters, documentIds, vector));
        // A document crowded out of the shared call by others' better chunks is asked for alone.
        Set<String> found = new HashSet<>();
        hits.forEach(hit -> found.add(hit.documentId()));
        if (documentIds.size() > 1) {
            for (String missing : documentIds) {
                if (!found.contains(missing)) {
                    hits.addAll(bestChunks(tenant, filters, Set.of(missing), vector));
                }
            }
        }
        Map<String, Double> scores = new HashMap<>();
        Map<String, RankedDocument> documents = new HashMap<>();
        // Hits come best first per call, so a document's first hit is its best chunk.
        for (IndexHit hit : hits) {
            double score = hit.score() - properties.denseLengthPenalty() * spread
                    * Math.log(Math.max(1, hit.documentChunks()));
            if (scores.putIfAbsent(hit.documentId(), score) == null) {
                documents.put(hit.documentId(), new RankedDocument(hit.documentId(), hit.title(), hit.version(), 0,
                        hit));
            }
        }
        return new Rescored(scores, documents);
    }

    /**
     * The named documents' nearest chunks, best first: {@link #RESCORED_CHUNKS_PER_DOCUMENT} per document asked for,
     * which the index answers exactly (its filter matches few chunks), so each document's best chunk is among them
     * unless other named documents hold more better ones.
     */
    private List<IndexHit> bestChunks(String tenant, Map<String, String> filters, Set<String> documentIds,
            float[] vector) {
        IndexQuery chunks = new IndexQuery(tenant, Math.min(RESCORED_CHUNKS, RESCORED_CHUNKS_PER_DOCUMENT
                * documentIds.size()), filters, documentIds);
        return indexCalls.callIdempotent(() -> index.searchDense(chunks, vector));
    }

    /** Rescored documents: their new scores, and each as it would stand on a page. */
    record Rescored(Map<String, Double> scores, Map<String, RankedDocument> documents) {
    }

    private Dense dense(IndexQuery documents, float[] vector) {
        IndexQuery chunks = new IndexQuery(documents.tenant(), documents.k() * properties.chunksPerCandidate(),
                documents.filters());
        List<IndexHit> hits = traced("retrieve dense", chunks,
                () -> indexCalls.callIdempotent(() -> index.searchDense(chunks, vector)));
        List<RankedDocument> ranked = DocumentRanking.dense(hits, properties.denseLengthPenalty());
        return new Dense(ranked.size() > documents.k() ? ranked.subList(0, documents.k()) : ranked,
                DocumentRanking.spread(hits));
    }

    /** Documents of dense retrieval and the spread of the chunk scores their length prior was scaled by. */
    private record Dense(List<RankedDocument> documents, double spread) {
    }

    private List<RankedDocument> keyword(IndexQuery documents, String query) {
        return DocumentRanking.keyword(traced("retrieve keyword", documents,
                () -> indexCalls.callIdempotent(() -> index.searchKeyword(documents, query))));
    }

    /** A retrieval in a span of its own, with the candidates asked for and the hits found. */
    private static <T> List<T> traced(String name, IndexQuery indexQuery, Supplier<List<T>> retrieval) {
        return Traces.inSpan(name, Attributes.of(CANDIDATES, (long) indexQuery.k()), span -> {
            List<T> hits = retrieval.get();
            span.setAttribute(HITS, (long) hits.size());
            return hits;
        });
    }

    private static Map<String, IndexHit> tracedPicking(String name, IndexQuery indexQuery,
            Supplier<Map<String, IndexHit>> picking) {
        return Traces.inSpan(name, Attributes.of(CANDIDATES, (long) indexQuery.k()), span -> {
            Map<String, IndexHit> hits = picking.get();
            span.setAttribute(HITS, (long) hits.size());
            return hits;
        });
    }

    private static <T> T retrieve(String part, Supplier<T> retrieval) {
        try {
            return retrieval.get();
        } catch (RuntimeException e) {
            log.warn("{} retrieval failed: {}", part, e.toString());
            throw new SearchUnavailableException(e);
        }
    }

    /** No retrieval could answer: the index is down, its breaker is open, or the wait was interrupted. */
    private static final class SearchUnavailableException extends RuntimeException {

        SearchUnavailableException(Exception cause) {
            super("no retrieval could answer", cause);
        }

        TemporarilyUnavailableException toDomain() {
            return new TemporarilyUnavailableException("The search index is temporarily unavailable; retry later.",
                    RETRY_AFTER, getCause());
        }
    }

    /**
     * Documents best first, the retrievals that could not take part, and (for a whole answer) the candidate lists
     * it was fused from.
     */
    record Ranking(List<RankedDocument> documents, List<String> degraded, Candidates candidates) {

        Ranking(List<RankedDocument> documents, List<String> degraded) {
            this(documents, degraded, null);
        }
    }

    /**
     * Each retrieval's scored candidates (null for a retrieval the mode does not use), the spread the dense length
     * prior was scaled by, and how deep each retrieval went.
     */
    record Candidates(List<RankedDocument> keyword, List<RankedDocument> dense, double spread, int depth) {
    }
}
