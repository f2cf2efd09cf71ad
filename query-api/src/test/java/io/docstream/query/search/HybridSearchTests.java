package io.docstream.query.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.http.FakeEmbeddingService;
import io.docstream.embedding.http.HttpEmbedder;
import io.docstream.embedding.http.HttpEmbeddingProperties;
import io.docstream.embedding.onnx.OnnxEmbedder;
import io.docstream.search.DocumentHit;
import io.docstream.search.IndexHit;
import io.docstream.search.IndexQuery;
import io.docstream.search.IndexWrite;
import io.docstream.search.IndexedChunk;
import io.docstream.search.SearchIndex;
import io.docstream.search.lucene.LuceneSearchIndex;
import io.docstream.platform.resilience.CallPolicy;
import io.docstream.platform.resilience.RemoteCalls;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How search ranks documents from a real Lucene index: whole-document BM25 and chunk dense retrieval fused as
 * configured or asked for, and the chunks a page's snippets come from.
 */
class HybridSearchTests {

    private static final String TENANT = "acme";
    private static final String QUERY = "which bird cannot fly";

    private static OnnxEmbedder embedder;

    @TempDir
    Path tempDir;

    private LuceneSearchIndex lucene;

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
                document("kafka", "Kafka topics are split into partitions replicated across brokers."),
                document("seabirds", "Seabirds spend months at sea.", "Albatrosses glide for days without a flap.",
                        "A cormorant dives for fish and dries its wings in the sun.")));
    }

    @AfterEach
    void closeIndex() {
        lucene.close();
    }

    @Test
    void fusesWholeDocumentKeywordAndChunkDenseRankingsByZScoresAsConfigured() {
        try (HybridSearch search = new HybridSearch(embedder, lucene, properties(SearchProperties.FusionMethod.WEIGHTED))) {
            List<RankedDocument> keyword = search.rank(TENANT, QUERY, SearchMode.KEYWORD, 3, Map.of()).documents();
            List<RankedDocument> dense = search.rank(TENANT, QUERY, SearchMode.SEMANTIC, 3, Map.of()).documents();

            HybridSearch.Ranking ranking = search.rank(TENANT, QUERY, SearchMode.HYBRID, 3, Map.of());

            List<ScoredId> expected = Fusion.weighted(List.of(DocumentRanking.scored(dense),
                    DocumentRanking.scored(keyword)), List.of(0.6, 0.4), Fusion.Normalisation.Z_SCORE);
            assertThat(ranking.degraded()).isEmpty();
            assertThat(ranking.documents()).extracting(RankedDocument::documentId)
                    .containsExactlyElementsOf(expected.stream().map(ScoredId::id).toList());
            assertThat(ranking.documents()).extracting(RankedDocument::score)
                    .containsExactlyElementsOf(expected.stream().map(ScoredId::score).toList());
            assertThat(ranking.documents().getFirst().documentId()).isIn("penguin", "ostrich");
            assertThat(keyword).allSatisfy(document -> assertThat(document.chunk()).isNull());
            assertThat(dense).allSatisfy(document -> assertThat(document.chunk()).isNotNull());
        }
    }

    @Test
    void fusesByReciprocalRankWhenTheRequestAsks() {
        try (HybridSearch search = new HybridSearch(embedder, lucene, properties(SearchProperties.FusionMethod.WEIGHTED))) {
            List<String> keyword = documentIds(search.rank(TENANT, QUERY, SearchMode.KEYWORD, 3, Map.of()));
            List<String> dense = documentIds(search.rank(TENANT, QUERY, SearchMode.SEMANTIC, 3, Map.of()));

            HybridSearch.Ranking ranking = search.rank(TENANT, QUERY, SearchMode.HYBRID,
                    SearchProperties.FusionMethod.RRF, 3, Map.of());

            assertThat(documentIds(ranking)).containsExactlyElementsOf(
                    Fusion.rrf(List.of(dense, keyword), 60).stream().map(ScoredId::id).toList());
        }
    }

    @Test
    void picksForEachPageDocumentTheChunkThatHoldsTheQueryWords() {
        try (HybridSearch search = new HybridSearch(embedder, lucene, properties(SearchProperties.FusionMethod.WEIGHTED))) {
            String query = "cormorant wings";
            List<RankedDocument> hybrid = search.rank(TENANT, query, SearchMode.HYBRID, 3, Map.of()).documents();
            List<RankedDocument> keyword = search.rank(TENANT, query, SearchMode.KEYWORD, 3, Map.of()).documents();

            assertThat(chunkOf("seabirds", search.withSnippetChunks(TENANT, query, SearchMode.HYBRID, hybrid, Map.of())))
                    .isEqualTo(2);
            assertThat(chunkOf("seabirds", search.withSnippetChunks(TENANT, query, SearchMode.KEYWORD, keyword,
                    Map.of()))).isEqualTo(2);
        }
    }

    @Test
    void keepsTheBestDenseChunkWhenNoChunkHoldsAQueryWord() {
        try (HybridSearch search = new HybridSearch(embedder, lucene, properties(SearchProperties.FusionMethod.WEIGHTED))) {
            String query = "large seagoing birds that hardly move their wings";
            List<RankedDocument> dense = search.rank(TENANT, query, SearchMode.SEMANTIC, 5, Map.of()).documents();
            int denseChunk = chunkOf("seabirds", dense);

            assertThat(chunkOf("seabirds", search.withSnippetChunks(TENANT, query, SearchMode.SEMANTIC, dense,
                    Map.of()))).isEqualTo(denseChunk);
            List<RankedDocument> hybrid = search.rank(TENANT, query, SearchMode.HYBRID, 5, Map.of()).documents();
            assertThat(chunkOf("seabirds", search.withSnippetChunks(TENANT, "xylophone", SearchMode.HYBRID, hybrid,
                    Map.of()))).as("no chunk holds the word: the dense chunk stays").isEqualTo(denseChunk);
        }
    }

    @Test
    void keepsTheChunksAtHandWhenSnippetsCannotBePicked() {
        SearchIndex index = new SnippetFailingIndex(lucene);
        try (HybridSearch search = new HybridSearch(embedder, index, properties(SearchProperties.FusionMethod.WEIGHTED))) {
            List<RankedDocument> hybrid = search.rank(TENANT, QUERY, SearchMode.HYBRID, 5, Map.of()).documents();

            List<RankedDocument> page = search.withSnippetChunks(TENANT, QUERY, SearchMode.HYBRID, hybrid, Map.of());

            assertThat(page).isEqualTo(hybrid);
        }
    }

    private static int chunkOf(String documentId, List<RankedDocument> documents) {
        return documents.stream().filter(document -> document.documentId().equals(documentId)).findFirst()
                .orElseThrow().chunk().chunkIndex();
    }

    private static List<String> documentIds(HybridSearch.Ranking ranking) {
        return ranking.documents().stream().map(RankedDocument::documentId).toList();
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
                List<String> keywordOnly = lucene.searchKeyword(
                        new IndexQuery(TENANT, search.candidates(3), Map.of()), QUERY).stream()
                        .map(DocumentHit::documentId).toList();
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
        return new SearchProperties(fusion, Fusion.Normalisation.Z_SCORE, 60, 0.6, 0.4, 1.0, 10, 4, 2,
                Duration.ofSeconds(10));
    }

    /** A document whose body is the chunks' texts, each chunk embedded by the model. */
    private static IndexWrite document(String id, String... chunkTexts) {
        List<IndexedChunk> chunks = new java.util.ArrayList<>();
        List<float[]> vectors = embedder.embedDocuments(List.of(chunkTexts));
        for (int i = 0; i < chunkTexts.length; i++) {
            chunks.add(new IndexedChunk(i, chunkTexts[i], Chunker.hash(chunkTexts[i]), vectors.get(i)));
        }
        return new IndexWrite.Replace(TENANT, id, 1, id, String.join("\n\n", chunkTexts), Map.of(), embedder.modelId(),
                chunks);
    }

    /** The Lucene index, except that picking snippet chunks fails. */
    private static final class SnippetFailingIndex implements SearchIndex {

        private final SearchIndex index;

        SnippetFailingIndex(SearchIndex index) {
            this.index = index;
        }

        @Override
        public Map<String, IndexHit> bestChunks(IndexQuery query, Collection<String> documentIds, String text) {
            throw new IllegalStateException("picking snippet chunks failed");
        }

        @Override
        public List<IndexHit> searchDense(IndexQuery query, float[] vector) {
            return index.searchDense(query, vector);
        }

        @Override
        public List<DocumentHit> searchKeyword(IndexQuery query, String text) {
            return index.searchKeyword(query, text);
        }

        @Override
        public String name() {
            return "failing-snippets-" + index.name();
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
