package io.docstream.query.search;

import io.docstream.core.embedding.Embedder;
import io.docstream.core.index.IndexHit;
import io.docstream.core.index.IndexQuery;
import io.docstream.core.index.SearchIndex;
import io.docstream.core.search.DocumentRanking;
import io.docstream.core.search.Fusion;
import io.docstream.core.search.ScoredId;
import io.docstream.core.web.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * failed or slow retrieval degrades the answer to the other one (and says so) instead of failing it.
 * Dense and fused retrievals run on a bounded pool; when it and its queue are full the request thread
 * runs them itself, slowing callers instead of queueing without bound.
 */
final class HybridSearch implements AutoCloseable {

    static final String SEMANTIC = "semantic";
    static final String KEYWORD = "keyword";

    private static final Logger log = LoggerFactory.getLogger(HybridSearch.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Embedder embedder;
    private final SearchIndex index;
    private final ExecutorService executor;
    private final SearchProperties properties;

    HybridSearch(Embedder embedder, SearchIndex index, SearchProperties properties) {
        this.embedder = embedder;
        this.index = index;
        this.properties = properties;
        this.executor = new ThreadPoolExecutor(properties.parallelism(), properties.parallelism(), 30,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(properties.parallelism() * 4),
                new CustomizableThreadFactory("search-"), new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The whole ranking a query has within the candidate window, best first. */
    Ranking rank(String tenant, String query, SearchMode mode, int k, Map<String, String> filters) {
        IndexQuery indexQuery = new IndexQuery(tenant, candidates(k), filters);
        return switch (mode) {
            case SEMANTIC -> single(retrieve(SEMANTIC, () -> dense(indexQuery, query)));
            case KEYWORD -> single(retrieve(KEYWORD, () -> index.searchKeyword(indexQuery, query)));
            case HYBRID -> hybrid(indexQuery, query);
        };
    }

    int candidates(int k) {
        return Math.max(4 * k, properties.minCandidates());
    }

    private Ranking hybrid(IndexQuery indexQuery, String query) {
        if (properties.fusion() == SearchProperties.FusionMethod.RRF && index.fusesServerSide()) {
            Optional<Ranking> fused = fusedInIndex(indexQuery, query);
            if (fused.isPresent()) {
                return fused.get();
            }
        }
        return separately(indexQuery, query);
    }

    /** The index's own fused query, or empty when it failed or took longer than the timeout. */
    private Optional<Ranking> fusedInIndex(IndexQuery indexQuery, String query) {
        CompletableFuture<List<IndexHit>> fused = CompletableFuture.supplyAsync(() -> index.searchHybrid(indexQuery,
                embedder.embedQuery(query), query, properties.rrfRankConstant()), executor);
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

    private Ranking separately(IndexQuery indexQuery, String query) {
        CompletableFuture<List<IndexHit>> dense = CompletableFuture.supplyAsync(() -> dense(indexQuery, query), executor);
        List<IndexHit> keywordHits = null;
        List<String> degraded = new ArrayList<>();
        try {
            keywordHits = index.searchKeyword(indexQuery, query);
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
        return fuse(DocumentRanking.collapse(denseHits), DocumentRanking.collapse(keywordHits));
    }

    private Ranking fuse(List<IndexHit> dense, List<IndexHit> keyword) {
        List<ScoredId> fused = switch (properties.fusion()) {
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
        return index.searchDense(indexQuery, embedder.embedQuery(query));
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
