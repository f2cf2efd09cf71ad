package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.core.chunking.Chunker;
import io.docstream.core.embedding.http.FakeEmbeddingService;
import io.docstream.core.embedding.http.HttpEmbedder;
import io.docstream.core.embedding.http.HttpEmbeddingProperties;
import io.docstream.core.embedding.onnx.OnnxEmbedder;
import io.docstream.core.index.IndexHit;
import io.docstream.core.index.IndexQuery;
import io.docstream.core.index.IndexWrite;
import io.docstream.core.index.IndexedChunk;
import io.docstream.core.index.SearchIndex;
import io.docstream.core.index.lucene.LuceneSearchIndex;
import io.docstream.core.resilience.CallPolicy;
import io.docstream.core.resilience.RemoteCalls;
import io.docstream.core.search.DocumentRanking;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How hybrid search uses an index that fuses server-side: one fused query when the fusion is RRF, the
 * two separate retrievals otherwise or when the fused query fails. The index is a real Lucene index that
 * declares server-side fusion, so both paths run against the same data.
 */
class HybridSearchTests {

    private static final String TENANT = "acme";
    private static final String QUERY = "which bird cannot fly";

    private static OnnxEmbedder embedder;

    @TempDir
    Path tempDir;

    private LuceneSearchIndex lucene;
    private FusingIndex fusing;

    @BeforeAll
    static void loadModel() {
        embedder = OnnxEmbedder.forModel("all-minilm-l6-v2-q");
    }

    @BeforeEach
    void indexDocuments() {
        lucene = new LuceneSearchIndex(tempDir.resolve("index"));
        lucene.write(List.of(
                document("penguin", "Penguins are birds that cannot fly; they swim in cold seas."),
                document("ostrich", "The ostrich is the largest bird and runs fast instead of flying."),
                document("eagle", "Eagles soar high and fly for hours on thermals."),
                document("kafka", "Kafka topics are split into partitions replicated across brokers.")));
        fusing = new FusingIndex(lucene);
    }

    @AfterEach
    void closeIndex() {
        lucene.close();
    }

    @Test
    void asksAnIndexThatFusesServerSideForOneFusedQuery() {
        try (HybridSearch search = new HybridSearch(embedder, fusing, properties(SearchProperties.FusionMethod.RRF))) {
            HybridSearch.Ranking ranking = search.rank(TENANT, QUERY, SearchMode.HYBRID, 3, Map.of());

            assertThat(fusing.fused).hasValue(1);
            assertThat(fusing.separate).hasValue(0);
            assertThat(ranking.degraded()).isEmpty();
            List<IndexHit> expected = DocumentRanking.collapse(lucene.searchHybrid(
                    new IndexQuery(TENANT, search.candidates(3), Map.of()), embedder.embedQuery(QUERY), QUERY, 60));
            assertThat(ranking.documents()).extracting(document -> document.hit().documentId())
                    .containsExactlyElementsOf(expected.stream().map(IndexHit::documentId).toList());
            assertThat(ranking.documents()).extracting(HybridSearch.RankedDocument::score)
                    .containsExactlyElementsOf(expected.stream().map(hit -> (double) hit.score()).toList());
            assertThat(ranking.documents().getFirst().hit().documentId()).isIn("penguin", "ostrich");
        }
    }

    @Test
    void retrievesSeparatelyWhenTheFusedQueryFails() {
        fusing.failFusedQueries = true;
        List<String> separately;
        try (HybridSearch plain = new HybridSearch(embedder, lucene, properties(SearchProperties.FusionMethod.RRF))) {
            separately = documentIds(plain.rank(TENANT, QUERY, SearchMode.HYBRID, 3, Map.of()));
        }

        try (HybridSearch search = new HybridSearch(embedder, fusing, properties(SearchProperties.FusionMethod.RRF))) {
            HybridSearch.Ranking ranking = search.rank(TENANT, QUERY, SearchMode.HYBRID, 3, Map.of());

            assertThat(fusing.fused).hasValue(1);
            assertThat(fusing.separate).hasValue(2);
            assertThat(ranking.degraded()).isEmpty();
            assertThat(documentIds(ranking)).isEqualTo(separately);
        }
    }

    @Test
    void retrievesSeparatelyForWeightedFusionAndForSingleModes() {
        try (HybridSearch search = new HybridSearch(embedder, fusing,
                properties(SearchProperties.FusionMethod.WEIGHTED))) {
            assertThat(search.rank(TENANT, QUERY, SearchMode.HYBRID, 3, Map.of()).documents()).isNotEmpty();
            assertThat(fusing.separate).hasValue(2);
        }
        try (HybridSearch search = new HybridSearch(embedder, fusing, properties(SearchProperties.FusionMethod.RRF))) {
            search.rank(TENANT, QUERY, SearchMode.SEMANTIC, 3, Map.of());
            search.rank(TENANT, QUERY, SearchMode.KEYWORD, 3, Map.of());
        }
        assertThat(fusing.fused).hasValue(0);
        assertThat(fusing.separate).hasValue(4);
    }

    @Test
    void theRequestsFusionDecidesWhetherTheIndexFuses() {
        try (HybridSearch search = new HybridSearch(embedder, fusing, properties(SearchProperties.FusionMethod.RRF))) {
            search.rank(TENANT, QUERY, SearchMode.HYBRID, SearchProperties.FusionMethod.WEIGHTED, 3, Map.of());
            assertThat(fusing.fused).hasValue(0);
            assertThat(fusing.separate).hasValue(2);
        }
        try (HybridSearch search = new HybridSearch(embedder, fusing,
                properties(SearchProperties.FusionMethod.WEIGHTED))) {
            search.rank(TENANT, QUERY, SearchMode.HYBRID, SearchProperties.FusionMethod.RRF, 3, Map.of());
            search.rank(TENANT, QUERY, SearchMode.HYBRID, null, 3, Map.of());
        }
        assertThat(fusing.fused).as("rrf asked for: one fused query").hasValue(1);
        assertThat(fusing.separate).as("null: the configured weighted fusion, retrieved separately").hasValue(4);
    }

    private static List<String> documentIds(HybridSearch.Ranking ranking) {
        return ranking.documents().stream().map(document -> document.hit().documentId()).toList();
    }

    @Test
    void anEmbeddingServiceThatIsDownLeavesKeywordRetrievalFlaggedSemantic() throws Exception {
        try (FakeEmbeddingService service = new FakeEmbeddingService()) {
            service.fail(1_000, 503);
            CallPolicy policy = RemoteCalls.defaults(RemoteCalls.EMBEDDER);
            policy.setBackoff(Duration.ofMillis(5));
            HttpEmbedder remote = new HttpEmbedder("http:fake", new HttpEmbeddingProperties(service.url(), null,
                    FakeEmbeddingService.DIMENSIONS, 128, 32, "", ""),
                    new RemoteCalls(name -> policy, null).call(RemoteCalls.EMBEDDER, HttpEmbedder::transientFailure),
                    HttpClient.newHttpClient());
            try (HybridSearch search = new HybridSearch(remote, lucene,
                    properties(SearchProperties.FusionMethod.WEIGHTED))) {
                List<String> keywordOnly = DocumentRanking.collapse(lucene.searchKeyword(
                        new IndexQuery(TENANT, search.candidates(3), Map.of()), QUERY)).stream()
                        .map(IndexHit::documentId).toList();
                assertThat(keywordOnly).isNotEmpty();

                HybridSearch.Ranking ranking = search.rank(TENANT, QUERY, SearchMode.HYBRID, 3, Map.of());

                assertThat(ranking.degraded()).containsExactly(HybridSearch.SEMANTIC);
                assertThat(documentIds(ranking)).containsExactlyElementsOf(keywordOnly);
                assertThat(service.requests()).as("the query was asked for as often as the policy allows")
                        .hasSize(policy.getMaxAttempts());

                // semantic mode too: the index is up, so its keyword retrieval answers (not PostgreSQL, not a 503)
                HybridSearch.Ranking semantic = search.rank(TENANT, QUERY, SearchMode.SEMANTIC, 3, Map.of());

                assertThat(semantic.degraded()).containsExactly(HybridSearch.SEMANTIC);
                assertThat(documentIds(semantic)).containsExactlyElementsOf(keywordOnly);
            }
        }
    }

    private static SearchProperties properties(SearchProperties.FusionMethod fusion) {
        return new SearchProperties(fusion, 60, 0.5, 0.5, 10, 2, Duration.ofSeconds(10));
    }

    private static IndexWrite document(String id, String text) {
        return new IndexWrite.Replace(TENANT, id, 1, id, Map.of(), embedder.modelId(),
                List.of(new IndexedChunk(0, text, Chunker.hash(text), embedder.embedDocuments(List.of(text)).getFirst())));
    }

    /** The Lucene index, declaring server-side fusion and counting fused and separate retrievals. */
    private static final class FusingIndex implements SearchIndex {

        private final SearchIndex index;
        private final AtomicInteger fused = new AtomicInteger();
        private final AtomicInteger separate = new AtomicInteger();
        private volatile boolean failFusedQueries;

        FusingIndex(SearchIndex index) {
            this.index = index;
        }

        @Override
        public boolean fusesServerSide() {
            return true;
        }

        @Override
        public List<IndexHit> searchHybrid(IndexQuery query, float[] vector, String text, int rankConstant) {
            fused.incrementAndGet();
            if (failFusedQueries) {
                throw new IllegalStateException("the fused query failed");
            }
            return index.searchHybrid(query, vector, text, rankConstant);
        }

        @Override
        public List<IndexHit> searchDense(IndexQuery query, float[] vector) {
            separate.incrementAndGet();
            return index.searchDense(query, vector);
        }

        @Override
        public List<IndexHit> searchKeyword(IndexQuery query, String text) {
            separate.incrementAndGet();
            return index.searchKeyword(query, text);
        }

        @Override
        public String name() {
            return "fusing-" + index.name();
        }

        @Override
        public List<String> write(List<IndexWrite> writes) {
            return index.write(writes);
        }

        @Override
        public long countDocuments(String tenant) {
            return index.countDocuments(tenant);
        }

        @Override
        public void close() {
            index.close();
        }
    }
}
