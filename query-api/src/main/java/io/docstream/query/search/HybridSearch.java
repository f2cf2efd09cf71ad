package io.docstream.query.search;

import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.IndexHit;
import io.docstream.core.index.IndexQuery;
import io.docstream.core.index.SearchIndex;
import io.docstream.core.resilience.RemoteCall;
import io.docstream.core.resilience.RemoteCalls;
import io.docstream.core.search.DocumentRanking;
import io.docstream.core.search.Fusion;
import io.docstream.core.search.ScoredId;
import io.docstream.core.tracing.Traces;
import io.docstream.core.web.ProblemException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs the retrievals a mode asks for, collapses chunk hits into documents and, for hybrid search,
 * fuses the dense and BM25 rankings. When the index fuses server-side and the fusion is reciprocal rank
 * fusion, hybrid search is one fused query in the index (chunk-level RRF, then the best chunk per
 * document); if that call fails or is slow, the two retrievals run separately as below. In hybrid mode a
 * failed or slow retrieval degrades the answer to the other one (and says so) instead of failing it; in
 * semantic mode a query that cannot be embedded is answered by keyword retrieval, flagged {@code semantic}.
 * Dense and fused retrievals run on a bounded pool; when it and its queue are full the request thread
 * runs them itself, slowing callers instead of queueing without bound. Every call into the index passes a
 * circuit breaker; when no retrieval can answer (the index is down, or the breaker is open) the answer
 * comes from PostgreSQL's full-text search, flagged {@code index} in {@code degraded}.
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
        IndexQuery indexQuery = new IndexQuery(tenant, candidates(k), filters);
        try {
            return switch (mode) {
                case SEMANTIC -> semantic(indexQuery, query);
                case KEYWORD -> single(retrieve(KEYWORD, () -> keyword(indexQuery, query)));
                case HYBRID -> hybrid(indexQuery, query, fusion == null ? properties.fusion() : fusion);
            };
        } catch (ProblemException unavailable) {
            if (fallback == null || unavailable.getStatusCode().value() != 503) {
                throw unavailable;
            }
            return fullText(indexQuery, query, unavailable);
        }
    }

    /** PostgreSQL's keyword answer, flagged {@code index}; when PostgreSQL fails too, the index's 503 stands. */
    private Ranking fullText(IndexQuery indexQuery, String query, ProblemException unavailable) {
        try {
            List<IndexHit> hits = traced("retrieve full-text", indexQuery, () -> fallback.search(indexQuery, query));
            return new Ranking(single(hits).documents(), List.of(INDEX));
        } catch (RuntimeException e) {
            log.warn("the full-text fallback failed too: {}", e.toString());
            unavailable.addSuppressed(e);
            throw unavailable;
        }
    }

    /**
     * Dense retrieval; when the query cannot be embedded (the embedding service is down) the index is still
     * there, so keyword retrieval answers, flagged {@code semantic} as in hybrid mode.
     */
    private Ranking semantic(IndexQuery indexQuery, String query) {
        float[] vector;
        try {
            vector = embedder.embedQuery(query);
        } catch (RuntimeException e) {
            log.warn("the query could not be embedded, answering from keyword retrieval only: {}", e.toString());
            Ranking keyword = single(retrieve(KEYWORD, () -> keyword(indexQuery, query)));
            return new Ranking(keyword.documents(), List.of(SEMANTIC));
        }
        return single(retrieve(SEMANTIC, () -> dense(indexQuery, vector)));
    }

    int candidates(int k) {
        return Math.max(4 * k, properties.minCandidates());
    }

    private Ranking hybrid(IndexQuery indexQuery, String query, SearchProperties.FusionMethod fusion) {
        if (fusion == SearchProperties.FusionMethod.RRF && index.fusesServerSide()) {
            Optional<Ranking> fused = fusedInIndex(indexQuery, query);
            if (fused.isPresent()) {
                return fused.get();
            }
        }
        return separately(indexQuery, query, fusion);
    }

    /** The index's own fused query, or empty when it failed or took longer than the timeout. */
    private Optional<Ranking> fusedInIndex(IndexQuery indexQuery, String query) {
        CompletableFuture<List<IndexHit>> fused = CompletableFuture.supplyAsync(() -> {
            float[] vector = embedder.embedQuery(query);
            return traced("retrieve fused", indexQuery,
                    () -> indexCalls.callIdempotent(
                            () -> index.searchHybrid(indexQuery, vector, query, properties.rrfRankConstant())));
        }, executor);
        try {
            return Optional.of(single(fused.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException | ExecutionException e) {
            fused.cancel(true);
            log.warn("fused hybrid retrieval failed, retrieving dense and keyword separately: {}", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    private Ranking separately(IndexQuery indexQuery, String query, SearchProperties.FusionMethod fusion) {
        CompletableFuture<List<IndexHit>> dense = CompletableFuture.supplyAsync(() -> dense(indexQuery, query), executor);
        List<IndexHit> keywordHits = null;
        List<String> degraded = new ArrayList<>();
        try {
            keywordHits = keyword(indexQuery, query);
        } catch (RuntimeException e) {
            log.warn("keyword retrieval failed, answering from dense retrieval only: {}", e.toString());
            degraded.add(KEYWORD);
        }
        List<IndexHit> denseHits = null;
        try {
            denseHits = dense.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            dense.cancel(true);
            log.warn("dense retrieval failed, answering from keyword retrieval only: {}", e.toString());
            degraded.add(SEMANTIC);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
        if (denseHits == null && keywordHits == null) {
            throw unavailable(null);
        }
        if (denseHits == null || keywordHits == null) {
            Ranking ranking = single(denseHits != null ? denseHits : keywordHits);
            return new Ranking(ranking.documents(), List.copyOf(degraded));
        }
        return fuse(DocumentRanking.collapse(denseHits), DocumentRanking.collapse(keywordHits), fusion);
    }

    private Ranking fuse(List<IndexHit> dense, List<IndexHit> keyword, SearchProperties.FusionMethod fusion) {
        return Traces.inSpan("fuse", Attributes.of(FUSION, fusion.name().toLowerCase(Locale.ROOT)), span -> {
            Ranking ranking = fuseUntraced(dense, keyword, fusion);
            span.setAttribute(RESULTS, (long) ranking.documents().size());
            return ranking;
        });
    }

    private Ranking fuseUntraced(List<IndexHit> dense, List<IndexHit> keyword, SearchProperties.FusionMethod fusion) {
        List<ScoredId> fused = switch (fusion) {
            case RRF -> Fusion.rrf(List.of(ids(dense), ids(keyword)), properties.rrfRankConstant());
            case WEIGHTED -> Fusion.weighted(List.of(scored(dense), scored(keyword)),
                    List.of(properties.semanticWeight(), properties.keywordWeight()));
        };
        Map<String, IndexHit> bestHit = new HashMap<>();
        Map<String, Integer> bestRank = new HashMap<>();
        for (List<IndexHit> ranking : List.of(keyword, dense)) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                IndexHit hit = ranking.get(rank);
                Integer known = bestRank.get(hit.documentId());
                if (known == null || rank < known) {
                    bestRank.put(hit.documentId(), rank);
                    bestHit.put(hit.documentId(), hit);
                }
            }
        }
        List<RankedDocument> documents = fused.stream()
                .map(scoredId -> new RankedDocument(bestHit.get(scoredId.id()), scoredId.score()))
                .toList();
        return new Ranking(documents, List.of());
    }

    private List<IndexHit> dense(IndexQuery indexQuery, String query) {
        return dense(indexQuery, embedder.embedQuery(query));
    }

    private List<IndexHit> dense(IndexQuery indexQuery, float[] vector) {
        return traced("retrieve dense", indexQuery,
                () -> indexCalls.callIdempotent(() -> index.searchDense(indexQuery, vector)));
    }

    private List<IndexHit> keyword(IndexQuery indexQuery, String query) {
        return traced("retrieve keyword", indexQuery,
                () -> indexCalls.callIdempotent(() -> index.searchKeyword(indexQuery, query)));
    }

    /** A retrieval in a span of its own, with the candidates asked for and the hits found. */
    private static List<IndexHit> traced(String name, IndexQuery indexQuery, Supplier<List<IndexHit>> retrieval) {
        return Traces.inSpan(name, Attributes.of(CANDIDATES, (long) indexQuery.k()), span -> {
            List<IndexHit> hits = retrieval.get();
            span.setAttribute(HITS, (long) hits.size());
            return hits;
        });
    }

    private static Ranking single(List<IndexHit> hits) {
        List<RankedDocument> documents = DocumentRanking.collapse(hits).stream()
                .map(hit -> new RankedDocument(hit, hit.score()))
                .toList();
        return new Ranking(documents, List.of());
    }

    private static List<IndexHit> retrieve(String part, Supplier<List<IndexHit>> retrieval) {
        try {
            return retrieval.get();
        } catch (RuntimeException e) {
            log.warn("{} retrieval failed: {}", part, e.toString());
            throw unavailable(e);
        }
    }

    private static List<String> ids(List<IndexHit> hits) {
        return hits.stream().map(IndexHit::documentId).toList();
    }

    private static List<ScoredId> scored(List<IndexHit> hits) {
        return hits.stream().map(hit -> new ScoredId(hit.documentId(), hit.score())).toList();
    }

    private static ProblemException unavailable(Exception cause) {
        return ProblemException.serviceUnavailable("The search index is temporarily unavailable; retry later.",
                RETRY_AFTER, cause);
    }

    /** A document in a ranking with the chunk hit that represents it. */
    record RankedDocument(IndexHit hit, double score) {
    }

    /** Documents best first, and the retrievals that could not take part. */
    record Ranking(List<RankedDocument> documents, List<String> degraded) {
    }
}
