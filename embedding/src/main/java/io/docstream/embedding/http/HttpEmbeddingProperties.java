package io.docstream.embedding.http;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code docstream.embedding.http.*}: a remote embedding service speaking the OpenAI embeddings protocol
 * ({@code POST {"model", "input": [...]}} answered by {@code {"data": [{"index", "embedding"}]}}), as served by
 * OpenAI, vLLM, Ollama, LocalAI and Hugging Face text-embeddings-inference. It is used when
 * {@code docstream.embedding.model} is {@code http:<model>}. How long a call may take, how many run at once and
 * how often a failed one is retried is the {@code embedder} call's {@code docstream.resilience.embedder.*}.
 *
 * @param url the embeddings endpoint, e.g. {@code http://tei:8080/v1/embeddings}
 * @param apiKey sent as a bearer token when set (in production through {@code DOCSTREAM_EMBEDDING_HTTP_API_KEY_FILE})
 * @param dimensions the length of the vectors the model returns; any other length is refused
 * @param maxTokens the model's input window, special tokens included; chunks are sized to it
 * @param batchSize most texts sent in one request
 * @param queryPrefix prepended to queries (e.g. {@code "query: "} for E5 models)
 * @param documentPrefix prepended to passages (e.g. {@code "passage: "})
 */
@ConfigurationProperties("docstream.embedding.http")
public record HttpEmbeddingProperties(
        URI url,
        String apiKey,
        @DefaultValue("0") int dimensions,
        @DefaultValue("512") int maxTokens,
        @DefaultValue("32") int batchSize,
        @DefaultValue("") String queryPrefix,
        @DefaultValue("") String documentPrefix) {

    /** @throws IllegalStateException naming what is missing when the settings cannot reach a model */
    void requireUsable(String modelId) {
        String problem = url == null ? "docstream.embedding.http.url is not set"
                : url.getScheme() == null || !url.getScheme().matches("https?") ? "docstream.embedding.http.url must be http or https"
                : dimensions < 1 ? "docstream.embedding.http.dimensions must be set to the model's vector length"
                : maxTokens < 8 ? "docstream.embedding.http.max-tokens must be at least 8"
                : batchSize < 1 ? "docstream.embedding.http.batch-size must be at least 1" : null;
        if (problem != null) {
            throw new IllegalStateException("Embedding model '" + modelId + "' needs the HTTP embedder: " + problem);
        }
    }
}
