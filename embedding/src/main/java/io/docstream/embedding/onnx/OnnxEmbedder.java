package io.docstream.embedding.onnx;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.docstream.embedding.TokenCounter;
import io.docstream.embedding.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Embeds text in process with a quantized ONNX sentence-transformer shipped as a Maven artifact
 * (LangChain4j). The weights are loaded once per JVM and shared by every instance of the same model. The ONNX
 * session runs each text on one thread and does not spin-wait between calls: LangChain4j already embeds the texts of
 * a batch in parallel (one worker per core), so ONNX Runtime's default (a thread per core for every call, spinning
 * while idle) oversubscribed the cores and left the services sharing the machine (the indexer's writes, the
 * invalidator, Kafka, the query API) waiting for one. Measured on two cores, 400 texts of ~90 words on two workers:
 * default 55 texts/s, without spinning 64, one thread without spinning 76.
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
        ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", 128, "", 384, PoolingMode.MEAN),
        BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", 512, BGE_QUERY_INSTRUCTION, 384, PoolingMode.CLS);

        private final String id;
        private final int maxTokens;
        private final String queryPrefix;
        private final Supplier<AbstractInProcessEmbeddingModel> loader;
        private OnnxBertBiEncoder encoder;

        KnownModel(String id, int maxTokens, String queryPrefix, int dimension, PoolingMode pooling) {
            this.id = id;
            this.maxTokens = maxTokens;
            this.queryPrefix = queryPrefix;
            this.loader = () -> new SharedModel(encoder(pooling), dimension);
        }

        /** The model's encoder, loaded on first use from the artifact's {@code <id>.onnx} and tokenizer. */
        private synchronized OnnxBertBiEncoder encoder(PoolingMode pooling) {
            if (encoder == null) {
                encoder = load(id + ".onnx", id + "-tokenizer.json", pooling);
            }
            return encoder;
        }
    }

    private static OnnxBertBiEncoder load(String weights, String tokenizer, PoolingMode pooling) {
        ClassLoader resources = OnnxEmbedder.class.getClassLoader();
        try (InputStream model = resources.getResourceAsStream(weights);
                InputStream vocabulary = resources.getResourceAsStream(tokenizer);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (model == null || vocabulary == null) {
                throw new IllegalStateException(weights + " or " + tokenizer + " is not on the class path");
            }
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            return new OnnxBertBiEncoder(environment, environment.createSession(model.readAllBytes(), options),
                    vocabulary, pooling);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + weights, e);
        } catch (OrtException e) {
            throw new IllegalStateException("could not load " + weights + " into ONNX Runtime", e);
        }
    }

    /** A model over a shared encoder; its texts are embedded in parallel on LangChain4j's default workers. */
    private static final class SharedModel extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;
        private final int dimension;

        SharedModel(OnnxBertBiEncoder encoder, int dimension) {
            super(null);
            this.encoder = encoder;
            this.dimension = dimension;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return dimension;
        }
    }
}
