package io.docstream.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxEmbedderTests {

    private static final Map<String, OnnxEmbedder> EMBEDDERS = new ConcurrentHashMap<>();

    private static final String SOURCE = "The city council approved a new budget that raises spending on public libraries.";
    private static final String PARAPHRASE = "Local lawmakers voted to give more money to libraries in their annual budget.";
    private static final List<String> UNRELATED = List.of(
            "The striker scored twice in the second half to win the championship final.",
            "Preheat the oven and bake the bread for forty minutes until the crust is golden.",
            "The telescope captured images of a distant galaxy surrounded by dust clouds.");

    private static OnnxEmbedder embedder(String modelId) {
        return EMBEDDERS.computeIfAbsent(modelId, OnnxEmbedder::forModel);
    }

    @ParameterizedTest
    @ValueSource(strings = { "all-minilm-l6-v2-q", "bge-small-en-v1.5-q" })
    void ranksTheSourcePassageAboveUnrelatedPassagesForAParaphrasedQuery(String modelId) {
        OnnxEmbedder embedder = embedder(modelId);
        List<String> passages = List.of(UNRELATED.get(0), SOURCE, UNRELATED.get(1), UNRELATED.get(2));
        List<float[]> vectors = embedder.embedDocuments(passages);
        float[] query = embedder.embedQuery(PARAPHRASE);

        double sourceSimilarity = dot(query, vectors.get(1));
        for (int i : new int[] { 0, 2, 3 }) {
            assertThat(sourceSimilarity).as("similarity to source vs %s", passages.get(i))
                    .isGreaterThan(dot(query, vectors.get(i)) + 0.1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "all-minilm-l6-v2-q", "bge-small-en-v1.5-q" })
    void producesUnitLengthVectorsOf384Dimensions(String modelId) {
        OnnxEmbedder embedder = embedder(modelId);
        float[] document = embedder.embedDocuments(List.of(SOURCE)).getFirst();
        float[] query = embedder.embedQuery(SOURCE);

        assertThat(embedder.dimensions()).isEqualTo(384);
        assertThat(document).hasSize(384);
        assertThat(query).hasSize(384);
        assertThat(dot(document, document)).isCloseTo(1.0, within(1e-4));
        assertThat(dot(query, query)).isCloseTo(1.0, within(1e-4));
    }

    @ParameterizedTest
    @ValueSource(strings = { "all-minilm-l6-v2-q", "bge-small-en-v1.5-q" })
    void embedsAQueryCloseToTheDocumentWithTheSameText(String modelId) {
        OnnxEmbedder embedder = embedder(modelId);

        double similarity = dot(embedder.embedQuery(SOURCE), embedder.embedDocuments(List.of(SOURCE)).getFirst());

        assertThat(similarity).isGreaterThan(0.8);
    }

    @ParameterizedTest
    @ValueSource(strings = { "all-minilm-l6-v2-q", "bge-small-en-v1.5-q" })
    void embedsABatchInOrderAndLikeOneAtATime(String modelId) {
        OnnxEmbedder embedder = embedder(modelId);
        List<String> texts = List.of(SOURCE, UNRELATED.get(0), UNRELATED.get(1));

        List<float[]> batch = embedder.embedDocuments(texts);

        assertThat(batch).hasSize(3);
        for (int i = 0; i < texts.size(); i++) {
            float[] single = embedder.embedDocuments(List.of(texts.get(i))).getFirst();
            assertThat(dot(batch.get(i), single)).isCloseTo(1.0, within(1e-5));
        }
        assertThat(embedder.embedDocuments(List.of())).isEmpty();
    }

    @Test
    void keepsAStableModelIdAndWindowPerModel() {
        assertThat(embedder("all-minilm-l6-v2-q").modelId()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(embedder("all-minilm-l6-v2-q").maxTokens()).isEqualTo(128);
        assertThat(embedder("bge-small-en-v1.5-q").modelId()).isEqualTo("bge-small-en-v1.5-q");
        assertThat(embedder("bge-small-en-v1.5-q").maxTokens()).isEqualTo(512);
        assertThat(OnnxEmbedder.knownModelIds()).containsExactly("all-minilm-l6-v2-q", "bge-small-en-v1.5-q");
    }

    @Test
    void seesExactlyItsWindowOfTokens() {
        OnnxEmbedder miniLm = embedder("all-minilm-l6-v2-q");
        String tail = " Fresh basil and tomatoes make a simple pasta sauce for dinner.";
        StringBuilder inside = new StringBuilder(SOURCE);
        while (miniLm.tokenCounter().count(inside + tail) <= miniLm.maxTokens() - 2) {
            inside.append(' ').append(SOURCE);
        }
        StringBuilder beyond = new StringBuilder(inside);
        while (miniLm.tokenCounter().count(beyond.toString()) < miniLm.maxTokens()) {
            beyond.append(' ').append(SOURCE);
        }

        assertThat(dot(embed(miniLm, beyond + tail), embed(miniLm, beyond.toString())))
                .as("words past the window change nothing").isCloseTo(1.0, within(1e-6));
        String shorter = inside.substring(0, inside.lastIndexOf(" " + SOURCE));
        assertThat(dot(embed(miniLm, shorter + tail), embed(miniLm, shorter)))
                .as("words inside the window count").isLessThan(0.9999);
        OnnxEmbedder bge = embedder("bge-small-en-v1.5-q");
        assertThat(dot(embed(bge, beyond + tail), embed(bge, beyond.toString())))
                .as("BGE's window is wider").isLessThan(0.9999);
    }

    private static float[] embed(OnnxEmbedder embedder, String text) {
        return embedder.embedDocuments(List.of(text)).getFirst();
    }

    @Test
    void refusesAnUnknownModelNamingTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> OnnxEmbedder.forModel("text-embedding-3-small"))
                .withMessageContaining("text-embedding-3-small")
                .withMessageContaining("all-minilm-l6-v2-q")
                .withMessageContaining("bge-small-en-v1.5-q");
    }

    @Test
    void refusesToEmbedBlankText() {
        OnnxEmbedder embedder = embedder("all-minilm-l6-v2-q");

        assertThatIllegalArgumentException().isThrownBy(() -> embedder.embedQuery("  "));
        assertThatIllegalArgumentException().isThrownBy(() -> embedder.embedDocuments(List.of("text", "")));
    }

    @Test
    void countsWordPieceTokensWithoutSpecialTokens() {
        var counter = embedder("all-minilm-l6-v2-q").tokenCounter();

        assertThat(counter.count("hello world")).isEqualTo(2);
        // "embeddings" is split into word pieces: em ##bed ##ding ##s
        assertThat(counter.count("embeddings")).isGreaterThan(1);
        assertThat(counter.count("")).isZero();
        assertThat(counter.count("word ".repeat(1000))).as("no truncation at the model window").isEqualTo(1000);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
