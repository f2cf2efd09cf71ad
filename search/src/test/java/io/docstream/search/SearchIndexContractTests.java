package io.docstream.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

import io.docstream.search.chunking.Chunker;
import io.docstream.embedding.onnx.OnnxEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SearchIndex} adapter must do, run against a fresh, empty index per test: dense retrieval
 * of chunks, BM25 over whole documents, snippet chunks, version guards, tenants and filters. Meaning is checked
 * with real MiniLM vectors; ranking mechanics with hand-made vectors.
 */
public abstract class SearchIndexContractTests {

    protected static final String TENANT = "acme";
    protected static final String OTHER_TENANT = "globex";
    protected static final int DIMENSIONS = 384;

    private static OnnxEmbedder embedder;

    protected SearchIndex index;

    /** A new, empty index; closed after each test. */
    protected abstract SearchIndex createIndex();

    @BeforeAll
    static void loadModel() {
        embedder = OnnxEmbedder.forModel("all-minilm-l6-v2-q");
    }

    @BeforeEach
    void openIndex() {
        index = createIndex();
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    @Test
    void findsAnUpsertedDocumentByMeaningAndByKeyword() {
        index.write(corpus(TENANT, 1));

        List<IndexHit> dense = index.searchDense(query(5), embedder.embedQuery("how is a topic divided between servers"));
        List<DocumentHit> keyword = index.searchKeyword(query(5), "partitions");

        assertThat(dense.getFirst().documentId()).isEqualTo("kafka");
        assertThat(dense.getFirst().score()).isBetween(0.2f, 1.0f);
        assertThat(dense.getFirst().documentChunks()).isEqualTo(2);
        assertThat(keyword).singleElement().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo("kafka");
            assertThat(hit.title()).isEqualTo("Kafka partitions");
            assertThat(hit.version()).isEqualTo(1);
            assertThat(hit.score()).isPositive();
        });
    }

    @Test
    void scoresADocumentByAllItsTextNotByItsBestChunk() {
        index.write(List.of(
                replace(TENANT, "split", 1, "Notes", Map.of(), "The narwhal lives in arctic waters.",
                        "Its tusk is a long spiral tooth."),
                replace(TENANT, "single", 1, "Notes", Map.of(), "A narwhal was seen near the coast.")));

        // No chunk of "split" holds both words, its whole text does.
        assertThat(index.searchKeyword(query(5), "narwhal tusk")).extracting(DocumentHit::documentId)
                .containsExactly("split", "single");
    }

    @Test
    void findsTitleWordsInTheWholeText() {
        index.write(List.of(replace(TENANT, "doc", 1, "Walrus colonies", Map.of(), "They gather on beaches.")));

        assertThat(index.searchKeyword(query(5), "walrus")).singleElement()
                .satisfies(hit -> assertThat(hit.title()).isEqualTo("Walrus colonies"));
    }

    @Test
    void reappliesTheSameVersionWithoutDuplicatingChunks() {
        IndexWrite kafka = replace(TENANT, "kafka", 3, "Kafka partitions", Map.of(), KAFKA_TEXT);

        assertThat(index.write(List.of(kafka))).isEmpty();
        assertThat(index.write(List.of(kafka, kafka))).isEmpty();

        assertThat(index.searchKeyword(query(10), "kafka partition log"))
                .extracting(DocumentHit::documentId).containsExactly("kafka");
        assertThat(index.searchDense(query(10), vector(KAFKA_TEXT[0])))
                .extracting(IndexHit::chunkIndex).containsExactlyInAnyOrder(0, 1);
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
    }

    @Test
    void skipsAndReportsAWriteOlderThanTheStoredVersion() {
        index.write(List.of(replace(TENANT, "doc", 5, "Current", Map.of(), "The current text mentions zebras.")));

        List<String> skipped = index.write(List.of(
                replace(TENANT, "doc", 4, "Stale", Map.of(), "A stale text mentions giraffes.")));

        assertThat(skipped).containsExactly(TENANT + "/doc");
        assertThat(index.searchKeyword(query(5), "giraffes")).isEmpty();
        assertThat(index.searchKeyword(query(5), "zebras")).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(5));
    }

    @Test
    void replacesAllChunksWithANewerVersion() {
        index.write(List.of(replace(TENANT, "doc", 1, "Old", Map.of(),
                "Zeppelins float above the city.", "More about zeppelins and airships.", "Airships are slow.")));

        index.write(List.of(replace(TENANT, "doc", 2, "New", Map.of(), "Submarines dive below the waves.")));

        assertThat(index.searchKeyword(query(10), "zeppelins airships")).isEmpty();
        assertThat(index.searchKeyword(query(10), "submarines")).singleElement().satisfies(hit -> {
            assertThat(hit.version()).isEqualTo(2);
            assertThat(hit.title()).isEqualTo("New");
        });
        assertThat(index.searchDense(query(10), vector("Airships are slow."))).singleElement().satisfies(hit -> {
            assertThat(hit.version()).isEqualTo(2);
            assertThat(hit.chunkIndex()).isZero();
            assertThat(hit.title()).isEqualTo("New");
            assertThat(hit.text()).isEqualTo("Submarines dive below the waves.");
        });
    }

    @Test
    void removesADeletedDocument() {
        index.write(corpus(TENANT, 1));

        assertThat(index.write(List.of(new IndexWrite.Remove(TENANT, "kafka", 2)))).isEmpty();

        assertThat(index.searchKeyword(query(10), "kafka partitions")).isEmpty();
        assertThat(index.searchDense(query(10), vector(KAFKA_TEXT[0])))
                .extracting(IndexHit::documentId).doesNotContain("kafka");
        assertThat(index.bestChunks(query(10), List.of("kafka", "lucene"), "partitions")).containsOnlyKeys("lucene");
        assertThat(index.countDocuments(TENANT)).isEqualTo(3);
    }

    @Test
    void keepsADeletedDocumentDeletedWhenAnOlderUpsertArrivesLate() {
        index.write(List.of(replace(TENANT, "doc", 3, "Doc", Map.of(), "Walruses sleep on the ice.")));
        index.write(List.of(new IndexWrite.Remove(TENANT, "doc", 5)));

        List<String> skipped = index.write(List.of(
                replace(TENANT, "doc", 4, "Doc", Map.of(), "Walruses swim in cold water.")));

        assertThat(skipped).containsExactly(TENANT + "/doc");
        assertThat(index.searchKeyword(query(5), "walruses")).isEmpty();
        assertThat(index.countDocuments(TENANT)).isZero();

        index.write(List.of(replace(TENANT, "doc", 6, "Doc", Map.of(), "Walruses are back.")));
        assertThat(index.searchKeyword(query(5), "walruses")).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(6));
    }

    @Test
    void holdsTheVersionOfADocumentWithoutChunks() {
        IndexWrite empty = new IndexWrite.Replace(TENANT, "empty", 7, "Empty", "", Map.of(), embedder.modelId(),
                List.of());

        assertThat(index.write(List.of(empty))).isEmpty();
        assertThat(index.write(List.of(replace(TENANT, "empty", 6, "Older", Map.of(), "Lemurs leap.")))).containsExactly(
                TENANT + "/empty");

        assertThat(index.searchKeyword(query(5), "lemurs")).isEmpty();
        assertThat(index.searchKeyword(query(5), "empty")).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(7));
        assertThat(index.searchDense(query(5), vector("Lemurs leap."))).isEmpty();
        assertThat(index.countDocuments(TENANT)).isEqualTo(1);
        assertThat(index.write(List.of())).isEmpty();
    }

    @Test
    void guardsVersionsWithinOneBatch() {
        List<String> skipped = index.write(List.of(
                replace(TENANT, "doc", 3, "Doc", Map.of(), "Otters hold hands."),
                new IndexWrite.Remove(TENANT, "doc", 5),
                replace(TENANT, "doc", 4, "Doc", Map.of(), "Otters use stones as tools."),
                replace(TENANT, "other", 1, "Other", Map.of(), "Beavers build dams.")));

        assertThat(skipped).containsExactly(TENANT + "/doc");
        assertThat(index.searchKeyword(query(5), "otters")).isEmpty();
        assertThat(index.searchKeyword(query(5), "beavers")).hasSize(1);
    }

    @Test
    void isolatesTenants() {
        index.write(List.of(
                replace(TENANT, "doc", 1, "Acme", Map.of(), "Acme sells anvils and rockets."),
                replace(OTHER_TENANT, "doc", 1, "Globex", Map.of(), "Globex sells anvils and magnets.")));

        assertThat(index.searchKeyword(query(10), "anvils")).singleElement()
                .satisfies(hit -> assertThat(hit.title()).isEqualTo("Acme"));
        assertThat(index.searchKeyword(new IndexQuery(OTHER_TENANT, 10, Map.of()), "rockets")).isEmpty();
        assertThat(index.bestChunks(new IndexQuery(OTHER_TENANT, 10, Map.of()), List.of("doc"), "anvils"))
                .hasEntrySatisfying("doc", hit -> assertThat(hit.text()).contains("Globex"));
        assertThat(index.searchDense(new IndexQuery(OTHER_TENANT, 10, Map.of()), vector("Acme sells anvils and rockets.")))
                .singleElement().satisfies(hit -> assertThat(hit.title()).isEqualTo("Globex"));

        index.write(List.of(new IndexWrite.Remove(TENANT, "doc", 2)));

        assertThat(index.countDocuments(TENANT)).isZero();
        assertThat(index.countDocuments(OTHER_TENANT)).isEqualTo(1);
        assertThat(index.searchKeyword(new IndexQuery(OTHER_TENANT, 10, Map.of()), "anvils")).hasSize(1);
    }

    @Test
    void appliesEveryMetadataFilter() {
        index.write(corpus(TENANT, 1));

        assertThat(index.searchDense(new IndexQuery(TENANT, 10, Map.of("team", "kitchen")), vector(KAFKA_TEXT[0])))
                .extracting(IndexHit::documentId).containsOnly("bread");
        assertThat(index.searchKeyword(new IndexQuery(TENANT, 10, Map.of("team", "infra", "engine", "lucene")),
                "indexes stores tables partitions")).extracting(DocumentHit::documentId).containsOnly("lucene");
        assertThat(index.searchKeyword(new IndexQuery(TENANT, 10, Map.of("team", "kitchen", "engine", "lucene")),
                "bread indexes")).isEmpty();
        assertThat(index.searchKeyword(new IndexQuery(TENANT, 10, Map.of("team", "nobody")), "bread")).isEmpty();
    }

    @Test
    void ranksDenseHitsNearestFirstWithCosineScores() {
        index.write(List.of(
                handMade("far", 80), handMade("near", 10), handMade("middle", 40)));

        List<IndexHit> hits = index.searchDense(query(3), direction(0));

        assertThat(hits).extracting(IndexHit::documentId).containsExactly("near", "middle", "far");
        assertThat(hits).extracting(IndexHit::score).satisfiesExactly(
                near -> assertThat(near).isCloseTo((float) Math.cos(Math.toRadians(10)), within(1e-3f)),
                middle -> assertThat(middle).isCloseTo((float) Math.cos(Math.toRadians(40)), within(1e-3f)),
                far -> assertThat(far).isCloseTo((float) Math.cos(Math.toRadians(80)), within(1e-3f)));
        assertThat(index.searchDense(query(2), direction(0))).hasSize(2);
    }

    @Test
    void ranksTheChunkWithTheRareTermFirstByBm25() {
        index.write(List.of(
                replace(TENANT, "a", 1, "Notes", Map.of(), "Search engines rank documents for a search query."),
                replace(TENANT, "b", 1, "Notes", Map.of(), "A quokka is a small marsupial; search for it on Rottnest."),
                replace(TENANT, "c", 1, "Notes", Map.of(), "Search results are cached; search again to hit the cache."),
                replace(TENANT, "d", 1, "Notes", Map.of(), "Every search starts with a query and ends with a search result.")));

        List<DocumentHit> hits = index.searchKeyword(query(10), "search quokka");

        assertThat(hits).hasSize(4);
        assertThat(hits.getFirst().documentId()).isEqualTo("b");
        assertThat(hits).extracting(DocumentHit::score).isSortedAccordingTo((x, y) -> Float.compare(y, x));
        assertThat(index.searchKeyword(query(2), "search quokka")).hasSize(2);
    }

    @Test
    void matchesStemmedFormsAndTitleWords() {
        index.write(List.of(replace(TENANT, "doc", 1, "Streaming pipelines", Map.of(), "Consumers read records.")));

        assertThat(index.searchKeyword(query(5), "consumer reading")).hasSize(1);
        assertThat(index.searchKeyword(query(5), "pipeline")).hasSize(1);
    }

    @Test
    void treatsKeywordInputAsPlainTextNeverAsQuerySyntax() {
        index.write(corpus(TENANT, 1));

        assertThat(index.searchKeyword(query(5), "kafka AND (partitions OR -tenant:globex) title:\"x")).isNotEmpty();
        assertThat(index.searchKeyword(query(5), "*:*")).isEmpty();
        assertThat(index.searchKeyword(query(5), "the and of")).isEmpty();
        assertThat(index.searchKeyword(query(5), "")).isEmpty();
    }

    @Test
    void refusesToMixEmbeddingModels() {
        index.write(corpus(TENANT, 1));
        IndexWrite otherModel = new IndexWrite.Replace(TENANT, "new", 1, "New", "Brand new text.", Map.of(),
                "bge-small-en-v1.5-q",
                List.of(new IndexedChunk(0, "Brand new text.", Chunker.hash("Brand new text."), direction(0))));

        assertThatIllegalStateException().isThrownBy(() -> index.write(List.of(otherModel)))
                .withMessageContaining("all-minilm-l6-v2-q").withMessageContaining("bge-small-en-v1.5-q");

        assertThat(index.countDocuments(TENANT)).isEqualTo(4);
        assertThat(index.searchKeyword(query(5), "brand new")).isEmpty();
    }

    @Test
    void countsLiveDocumentsPerTenant() {
        assertThat(index.countDocuments(TENANT)).isZero();

        index.write(corpus(TENANT, 1));
        index.write(List.of(new IndexWrite.Remove(TENANT, "bread", 2), new IndexWrite.Remove(TENANT, "never-written", 1)));

        assertThat(index.countDocuments(TENANT)).isEqualTo(3);
        assertThat(index.countDocuments(OTHER_TENANT)).isZero();
    }

    @Test
    void picksTheChunkThatHoldsTheQueryWordsBest() {
        index.write(List.of(replace(TENANT, "doc", 3, "Sea mammals", Map.of(), "Seals rest on rocks.",
                "The narwhal grows a long spiral tusk.", "Walruses use their tusks to haul out.")));

        Map<String, IndexHit> best = index.bestChunks(query(5), List.of("doc"), "narwhal tusk");

        assertThat(best).hasEntrySatisfying("doc", hit -> {
            assertThat(hit.chunkIndex()).isEqualTo(1);
            assertThat(hit.text()).isEqualTo("The narwhal grows a long spiral tusk.");
            assertThat(hit.title()).isEqualTo("Sea mammals");
            assertThat(hit.version()).isEqualTo(3);
            assertThat(hit.documentChunks()).isEqualTo(3);
            assertThat(hit.score()).isPositive();
        });
    }

    @Test
    void givesTheFirstChunkWhenNoChunkHoldsAQueryWord() {
        index.write(narwhalCorpus(TENANT));
        index.write(List.of(replace(TENANT, "long", 1, "Notes", Map.of(), "Penguins huddle.", "Penguins dive.")));

        Map<String, IndexHit> best = index.bestChunks(query(5), List.of("long", "neither", "unknown"), "narwhal");

        assertThat(best).containsOnlyKeys("long", "neither");
        assertThat(best.get("long")).satisfies(hit -> {
            assertThat(hit.chunkIndex()).isZero();
            assertThat(hit.score()).isZero();
        });
        assertThat(best.get("neither").text()).isEqualTo("Penguins live far to the south.");
        assertThat(index.bestChunks(query(5), List.of("long"), "the of")).hasEntrySatisfying("long",
                hit -> assertThat(hit.chunkIndex()).isZero());
        assertThat(index.bestChunks(query(5), List.of(), "narwhal")).isEmpty();
    }

    @Test
    void ranksWholeDocumentsWithinTheTenantAndItsFilters() {
        index.write(narwhalCorpus(TENANT));
        index.write(narwhalCorpus(OTHER_TENANT));
        index.write(List.of(new IndexWrite.Replace(TENANT, "tagged", 1, "Tagged", "A narwhal tagged by the arctic team.",
                Map.of("team", "arctic"), embedder.modelId(), List.of(new IndexedChunk(0,
                        "A narwhal tagged by the arctic team.", Chunker.hash("A narwhal tagged by the arctic team."),
                        direction(70))))));

        assertThat(index.searchKeyword(query(10), "narwhal tusk")).extracting(DocumentHit::documentId)
                .containsExactly("keyword-only", "both", "tagged");
        assertThat(index.searchKeyword(new IndexQuery(TENANT, 10, Map.of("team", "arctic")), "narwhal"))
                .singleElement().satisfies(hit -> assertThat(hit.documentId()).isEqualTo("tagged"));
        assertThat(index.searchDense(new IndexQuery(TENANT, 10, Map.of("team", "arctic")), direction(0)))
                .singleElement().satisfies(hit -> assertThat(hit.documentId()).isEqualTo("tagged"));
        assertThat(index.searchKeyword(new IndexQuery(OTHER_TENANT, 10, Map.of("team", "arctic")), "narwhal"))
                .isEmpty();

        index.write(List.of(new IndexWrite.Remove(TENANT, "both", 2)));

        assertThat(index.searchKeyword(query(10), "narwhal tusk")).extracting(DocumentHit::documentId)
                .doesNotContain("both");
        assertThat(index.searchKeyword(new IndexQuery(OTHER_TENANT, 10, Map.of()), "narwhal tusk"))
                .extracting(DocumentHit::documentId).contains("both");
    }

    @Test
    void scoresOnlyTheNamedDocumentsWithTheScoresAWholeRetrievalGivesThem() {
        index.write(narwhalCorpus(TENANT));
        index.write(narwhalCorpus(OTHER_TENANT));
        List<DocumentHit> all = index.searchKeyword(query(10), "narwhal tusk");
        List<IndexHit> allDense = index.searchDense(query(10), direction(0));

        List<DocumentHit> named = index.searchKeyword(new IndexQuery(TENANT, 10, Map.of(), Set.of("both")),
                "narwhal tusk");
        List<IndexHit> namedDense = index.searchDense(new IndexQuery(TENANT, 10, Map.of(), Set.of("both")),
                direction(0));

        assertThat(named).singleElement().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo("both");
            assertThat(hit.score()).isEqualTo(all.stream().filter(h -> h.documentId().equals("both")).findFirst()
                    .orElseThrow().score());
        });
        assertThat(namedDense).isNotEmpty().allSatisfy(hit -> assertThat(hit.documentId()).isEqualTo("both"));
        assertThat(namedDense.getFirst().score()).isCloseTo(allDense.stream()
                .filter(h -> h.documentId().equals("both")).findFirst().orElseThrow().score(), within(1e-4f));
        assertThat(index.searchKeyword(new IndexQuery(TENANT, 10, Map.of("team", "arctic"), Set.of("both")),
                "narwhal")).isEmpty();
        assertThat(index.searchDense(new IndexQuery(TENANT, 10, Map.of(), Set.of("no-such-document")), direction(0)))
                .isEmpty();
    }

    @Test
    void refusesAQueryVectorOfOtherDimensions() {
        index.write(corpus(TENANT, 1));

        assertThatIllegalArgumentException().isThrownBy(() -> index.searchDense(query(5), new float[] { 1, 0 }));
    }

    // ---- fixtures -------------------------------------------------------------------------------

    protected static final String[] KAFKA_TEXT = {
            "Kafka topics are split into partitions; each partition is an ordered log.",
            "Every partition is replicated across brokers so that a failed broker loses no data." };

    /** Four documents with real vectors, two chunks for Kafka. */
    protected static List<IndexWrite> corpus(String tenant, long version) {
        return List.of(
                replace(tenant, "kafka", version, "Kafka partitions", Map.of("team", "infra", "engine", "kafka"),
                        KAFKA_TEXT),
                replace(tenant, "lucene", version, "Lucene", Map.of("team", "infra", "engine", "lucene"),
                        "Lucene builds inverted indexes and HNSW graphs for vector search."),
                replace(tenant, "postgres", version, "PostgreSQL", Map.of("team", "infra", "engine", "postgres"),
                        "PostgreSQL stores rows in tables and supports transactions with MVCC."),
                replace(tenant, "bread", version, "Sourdough", Map.of("team", "kitchen"),
                        "Bake sourdough bread with flour, water, salt and a lively starter."));
    }

    protected static IndexWrite.Replace replace(String tenant, String documentId, long version, String title,
            Map<String, String> metadata, String... chunkTexts) {
        List<IndexedChunk> chunks = new ArrayList<>();
        List<float[]> vectors = embedder.embedDocuments(List.of(chunkTexts));
        for (int i = 0; i < chunkTexts.length; i++) {
            chunks.add(new IndexedChunk(i, chunkTexts[i], Chunker.hash(chunkTexts[i]), vectors.get(i)));
        }
        return new IndexWrite.Replace(tenant, documentId, version, title, String.join("\n\n", chunkTexts), metadata,
                embedder.modelId(), chunks);
    }

    /**
     * Four one-chunk documents: by vector (from {@code direction(0)}) dense-only 5 degrees, both 20, neither 60,
     * keyword-only 85; for "narwhal tusk" BM25 ranks keyword-only (three of each) above both.
     */
    protected static List<IndexWrite> narwhalCorpus(String tenant) {
        return List.of(
                oneChunk(tenant, "dense-only", 5, "Arctic whales migrate with the seasons."),
                oneChunk(tenant, "both", 20, "The narwhal grows a long spiral tusk."),
                oneChunk(tenant, "neither", 60, "Penguins live far to the south."),
                oneChunk(tenant, "keyword-only", 85, "Narwhal tusk, narwhal tusk: narwhal tusk."));
    }

    private static IndexWrite.Replace oneChunk(String tenant, String documentId, double degrees, String text) {
        return new IndexWrite.Replace(tenant, documentId, 1, "Notes", text, Map.of(), embedder.modelId(),
                List.of(new IndexedChunk(0, text, Chunker.hash(text), direction(degrees))));
    }

    /** A one-chunk document whose vector is {@code degrees} away from {@link #direction(double) direction(0)}. */
    protected static IndexWrite.Replace handMade(String documentId, double degrees) {
        String text = "Hand-made vector at " + degrees + " degrees.";
        return new IndexWrite.Replace(TENANT, documentId, 1, documentId, text, Map.of(), embedder.modelId(),
                List.of(new IndexedChunk(0, text, Chunker.hash(text), direction(degrees))));
    }

    /** A unit vector in the plane of the first two axes. */
    protected static float[] direction(double degrees) {
        float[] vector = new float[DIMENSIONS];
        vector[0] = (float) Math.cos(Math.toRadians(degrees));
        vector[1] = (float) Math.sin(Math.toRadians(degrees));
        return vector;
    }

    protected static float[] vector(String text) {
        return embedder.embedDocuments(List.of(text)).getFirst();
    }

    protected static IndexQuery query(int k) {
        return new IndexQuery(TENANT, k, Map.of());
    }
}
