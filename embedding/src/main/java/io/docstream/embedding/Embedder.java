package io.docstream.embedding;

import io.docstream.embedding.TokenCounter;
import java.util.List;

/**
 * Turns text into dense vectors. Implementations are thread-safe; {@link #modelId()} is recorded on
 * every stored vector so that vectors of different models are never mixed.
 */
public interface Embedder {

    /** A stable identifier of the model and its settings, e.g. {@code all-minilm-l6-v2-q}. */
    String modelId();

    int dimensions();

    /** Largest number of tokens one text may hold; longer texts are truncated by the model. */
    int maxTokens();

    /**
     * Counts tokens the way the model does (without its special tokens), so chunks can be sized to
     * {@link #maxTokens()}. Adapters that cannot see their tokenizer keep this estimate.
     */
    default TokenCounter tokenCounter() {
        return TokenCounter.approximate();
    }

    /** Embeds passages to be indexed, in order; vectors are L2-normalised. */
    List<float[]> embedDocuments(List<String> texts);

    /** Embeds a search query (some models prefix queries with an instruction). */
    float[] embedQuery(String query);
}
