package io.docstream.embedding.onnx;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.docstream.embedding.TokenCounter;
import io.docstream.embedding.Embedder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Embeds text in process with a quantized ONNX sentence-transformer shipped as a Maven artifact
 * (LangChain4j). The weights are loaded once per JVM and shared by every instance of the same model.
 */
public final class OnnxEmbedder implements Embedder {

    private static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    private final KnownModel model;
    private final AbstractInProcessEmbeddingModel delegate;
    private final TokenCounter tokenCounter;

    private OnnxEmbedder(KnownModel model) {
        this.model = model;
        this.delegate = model.loader.get();
        this.tokenCounter = WordPieceCounter.INSTANCE::estimateTokenCountInText;
    }

    /**
     * The embedder for a model id: {@code all-minilm-l6-v2-q} or {@code bge-small-en-v1.5-q}.
     *
     * @throws IllegalArgumentException for any other id
     */
    public static OnnxEmbedder forModel(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        return Arrays.stream(KnownModel.values())
                .filter(known -> known.id.equals(modelId))
                .findFirst()
                .map(OnnxEmbedder::new)
                .orElseThrow(() -> new IllegalArgumentException("Unknown embedding model '" + modelId
                        + "'; known models: " + knownModelIds()));
    }

    /** Ids accepted by {@link #forModel(String)}. */
    public static List<String> knownModelIds() {
        return Arrays.stream(KnownModel.values()).map(known -> known.id).toList();
    }

    @Override
    public String modelId() {
        return model.id;
    }

    @Override
    public int dimensions() {
        return delegate.dimension();
    }

    /** The model's window including its two special tokens. */
    @Override
    public int maxTokens() {
        return model.maxTokens;
    }

    /** Counts WordPiece tokens with the model's own vocabulary, excluding special tokens. */
    @Override
    public TokenCounter tokenCounter() {
        return tokenCounter;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream().map(OnnxEmbedder::segment).toList();
        List<Embedding> embeddings = delegate.embedAll(segments).content();
        return embeddings.stream().map(embedding -> normalised(embedding.vector())).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        return normalised(delegate.embed(segment(model.queryPrefix + Objects.requireNonNull(query, "query")))
                .content().vector());
    }

    @Override
    public String toString() {
        return "OnnxEmbedder[" + model.id + "]";
    }

    private static TextSegment segment(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Cannot embed blank text");
        }
        return TextSegment.from(text);
    }

    private static float[] normalised(float[] vector) {
        double sumOfSquares = 0;
        for (float value : vector) {
            sumOfSquares += value * value;
        }
        if (sumOfSquares == 0) {
            throw new IllegalStateException("The model returned a zero vector");
        }
        float norm = (float) Math.sqrt(sumOfSquares);
        float[] result = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            result[i] = vector[i] / norm;
        }
        return result;
    }

    /**
     * Both models share the bert-base-uncased WordPiece vocabulary and normaliser, which is what the
     * estimator's bundled tokenizer.json holds; it counts without [CLS]/[SEP] and never truncates.
     * One native tokenizer per JVM, created on first use.
     */
    private static final class WordPieceCounter {
        static final HuggingFaceTokenCountEstimator INSTANCE = new HuggingFaceTokenCountEstimator();
    }

    private enum KnownModel {

        // MiniLM's bundled tokenizer.json truncates every input to 128 tokens (as the model was trained), so a
        // longer chunk would be embedded by its first 128 tokens only; BGE's has no truncation and a 512 window.
        ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", 128, "", AllMiniLmL6V2QuantizedEmbeddingModel::new),
        BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", 512, BGE_QUERY_INSTRUCTION, BgeSmallEnV15QuantizedEmbeddingModel::new);

        private final String id;
        private final int maxTokens;
        private final String queryPrefix;
        private final Supplier<AbstractInProcessEmbeddingModel> loader;

        KnownModel(String id, int maxTokens, String queryPrefix, Supplier<AbstractInProcessEmbeddingModel> loader) {
            this.id = id;
            this.maxTokens = maxTokens;
            this.queryPrefix = queryPrefix;
            this.loader = loader;
        }
    }
}
